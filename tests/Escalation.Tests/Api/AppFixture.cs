namespace Escalation.Tests.Api;

/// <summary>One running service for a test class; tests in the class use ids of their own.</summary>
public sealed class AppFixture : IAsyncLifetime
{
    public EscalationApp App { get; private set; } = null!;
    public string RoutingKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        App = await EscalationApp.StartAsync();
        RoutingKey = await OnCallApi.Configure(App.Client());
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}
