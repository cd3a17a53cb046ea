using Escalation.Tests.Api;

namespace Escalation.Tests.Channels;

/// <summary>The whole service with all three providers configured and pointed at WireMock fakes.</summary>
public sealed class ChannelsFixture : IAsyncLifetime
{
    public ProviderFakes Fakes { get; } = new();
    public EscalationApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await EscalationApp.StartAsync(settings: Fakes.Settings());

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        Fakes.Dispose();
    }
}
