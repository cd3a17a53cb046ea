using Escalation.Api;
using Escalation.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddEscalationSilo();

var app = builder.Build();
app.UseEscalationApi();

await app.StartAsync();
await StartupReport.Run(app.Services, Console.Out);
await app.WaitForShutdownAsync();

/// <summary>The entry point, visible to the HTTP tests.</summary>
public partial class Program;
