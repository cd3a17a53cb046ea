using Escalation.Api;
using Escalation.Silo.Channels;
using Escalation.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddEscalationSilo();

var app = builder.Build();
app.UseEscalationApi();
app.MapChannelWebhooks();

app.Run();

/// <summary>The entry point, visible to the HTTP tests.</summary>
public partial class Program;
