using Escalation.Testing;

namespace Escalation.Tests.Outages;

/// <summary>One PostgreSQL server for the outage tests, theirs alone: they stop it.</summary>
public sealed class OutagePostgres : IAsyncLifetime
{
    public StoppablePostgres Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await StoppablePostgres.Start();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
