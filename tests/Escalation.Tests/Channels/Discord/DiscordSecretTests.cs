using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Escalation.Silo.Channels;
using Escalation.Silo.Channels.Discord;
using Escalation.Silo.Notifications;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WireMock.ResponseBuilders;
using WireMock.Server;
using Request = WireMock.RequestBuilders.Request;

namespace Escalation.Tests.Channels.Discord;

/// <summary>A webhook URL holds its token: the client as registered must write it to no log, whatever the level.</summary>
public sealed class DiscordSecretTests : IDisposable
{
    private const string Token = "secret-webhook-token-0123456789";
    private readonly WireMockServer _discord = WireMockServer.Start();

    public void Dispose() => _discord.Dispose();

    [Fact]
    public async Task The_registered_client_logs_no_webhook_url_and_start_up_checks_name_the_setting_only()
    {
        _discord.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(503));
        var logs = new CapturedLogs();
        var webhook = $"{_discord.Url}/api/webhooks/1/{Token}";
        await using var services = Services(logs, ("fyi", webhook));

        var client = services.GetRequiredService<DiscordClient>();
        await client.Execute(new Uri(webhook), new JsonObject(), default);
        await client.Edit(new Uri(webhook), "42", new JsonObject(), default);

        Assert.Equal(2, _discord.LogEntries.Count());
        Assert.DoesNotContain(logs.Lines, line => line.Contains(Token, StringComparison.Ordinal));

        await using var invalid = Services(logs, ("fyi", $"ftp://example.com/{Token}"));
        var refused = Assert.Throws<OptionsValidationException>(() => invalid.GetRequiredService<IOptions<DiscordOptions>>().Value);
        Assert.Contains("Escalation:Discord:Channels:fyi", refused.Message);
        Assert.DoesNotContain(Token, refused.Message);
    }

    private static ServiceProvider Services(CapturedLogs logs, params (string Name, string Url)[] channels)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(channels.Select(c => KeyValuePair.Create<string, string?>(DiscordOptions.SettingFor(c.Name), c.Url)))
            .Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddOptions<DeliveryOptions>();
        services.AddSingleton(TimeProvider.System);
        services.AddDiscord(configuration);
        return services.BuildServiceProvider();
    }

    private sealed class CapturedLogs : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturedLogs logs, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
        }
    }
}
