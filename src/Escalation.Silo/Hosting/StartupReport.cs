using Escalation.Api.Auth;
using Escalation.Configuration;
using Escalation.Silo.Demo;
using Escalation.Storage.Auth;
using Escalation.Storage.Configuration;
using Escalation.Storage.Database;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Escalation.Silo.Channels;

namespace Escalation.Silo.Hosting;

/// <summary>
/// Runs once the service is up: sets the bootstrap admin key, loads the demo on the embedded default, and tells
/// the person at the terminal where the service is and how to call it. A generated key is shown once only.
/// </summary>
public sealed class StartupReport(IServiceProvider services, ILogger<StartupReport> logger) : IHostedLifecycleService
{
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        // With JSON (or systemd) logs, standard output is for log records alone: the banner goes to standard error.
        var output = configuration["Logging:Console:FormatterName"] is { Length: > 0 } formatter && formatter != "simple" ? Console.Error : Console.Out;
        var keys = services.GetRequiredService<ApiKeyStore>();
        var database = services.GetRequiredService<EscalationDatabase>();
        var lines = new List<string>();

        var urls = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        lines.Add($"Escalation is running at {string.Join(", ", urls)}");

        if (configuration["Escalation:Auth:BootstrapAdminKey"] is { Length: > 0 } configured)
        {
            await keys.SetBootstrap(configured);
            lines.Add("Admin API key: the one set in Escalation:Auth:BootstrapAdminKey.");
        }
        else if (await keys.CreateBootstrapOnce() is { } generated)
        {
            lines.Add($"Admin API key (shown once, keep it): {generated}");
        }
        else
        {
            lines.Add("Admin API key: the one printed at first start (or set Escalation__Auth__BootstrapAdminKey to choose one).");
        }
        lines.Add("Call the API with:  Authorization: Bearer <admin API key>");

        var demo = configuration.GetValue<bool?>("Escalation:Demo:Enabled") ?? database.IsEmbedded;
        if (demo)
        {
            var service = await DemoSetup.Ensure(services.GetRequiredService<ConfigurationStore>(), services.GetRequiredService<IGrainFactory>());
            lines.Add($"Demo service '{service.Id}': send PagerDuty Events v2 to POST /v2/enqueue with routing_key {service.IntegrationKey}");
        }

        foreach (var channel in ChannelStatus.All(services))
        {
            lines.Add(channel.Describe());
            if (!channel.Configured) logger.LogWarning("Channel disabled: {Channel}", channel.Describe());
        }

        var width = lines.Max(l => l.Length) + 4;
        output.WriteLine(new string('=', width));
        foreach (var line in lines) output.WriteLine($"  {line}");
        output.WriteLine(new string('=', width));
        output.Flush();
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
