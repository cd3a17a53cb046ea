using Escalation.Api;
using Escalation.Silo.Channels;
using Escalation.Silo.Hosting;
using Escalation.Silo.Telemetry;

var builder = WebApplication.CreateBuilder(args);
builder.AddEscalationSilo();

var app = builder.Build();
app.UseEscalationApi();
app.MapChannelWebhooks();
app.MapEscalationMetrics();

app.Run();

/// <summary>The entry point, visible to the HTTP tests.</summary>
public partial class Program;
