using Escalation.Tests.Api;

namespace Escalation.Tests.Channels;

/// <summary>
/// The whole service with all three providers configured and pointed at WireMock fakes; a subclass may change
/// settings on top (a transport, a slot length).
/// </summary>
public class ChannelsFixture : IAsyncLifetime
{
    private readonly IReadOnlyDictionary<string, string?> _changes;

    public ChannelsFixture() : this(new Dictionary<string, string?>())
    {
    }

    // Protected: xunit wants a class fixture to have one public constructor.
    protected ChannelsFixture(IReadOnlyDictionary<string, string?> changes) => _changes = changes;

    /// <summary>A number's SMS slot shortened from a minute, for the storm tests.</summary>
    protected static IReadOnlyDictionary<string, string?> SmsSlot(string every) =>
        new Dictionary<string, string?> { ["Escalation:Channels:Twilio:PagesPerNumberEvery"] = every };

    public ProviderFakes Fakes { get; } = new();
    public EscalationApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var settings = Fakes.Settings();
        foreach (var (key, value) in _changes) settings[key] = value;
        App = await EscalationApp.StartAsync(settings: settings);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        Fakes.Dispose();
    }
}
