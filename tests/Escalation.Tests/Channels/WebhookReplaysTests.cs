using Escalation.Silo.Channels;
using Escalation.Storage.Schema;
using Escalation.Storage.Webhooks;
using Escalation.Testing;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Escalation.Tests.Channels;

public sealed class WebhookReplaysTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
    private NpgsqlDataSource _db = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await TestPostgres.CreateDatabase();
        await SchemaMigrator.Apply(connectionString);
        _db = NpgsqlDataSource.Create(connectionString);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_key_is_first_seen_once_across_silos_until_its_window_has_passed()
    {
        var silo1 = new WebhookReplays(_db, _clock);
        var silo2 = new WebhookReplays(_db, _clock);
        Assert.True(await silo1.FirstSeen("slack:v0=abc", TimeSpan.FromMinutes(10)));
        Assert.False(await silo2.FirstSeen("slack:v0=abc", TimeSpan.FromMinutes(10)));
        Assert.True(await silo2.FirstSeen("slack:v0=def", TimeSpan.FromMinutes(10)));

        _clock.Advance(TimeSpan.FromMinutes(11));
        // The expired key is pruned by the next call, and may then be seen afresh.
        Assert.True(await silo1.FirstSeen("twilio-sms:SM1", TimeSpan.FromDays(30)));
        Assert.True(await silo2.FirstSeen("slack:v0=abc", TimeSpan.FromMinutes(10)));
        Assert.False(await silo1.FirstSeen("twilio-sms:SM1", TimeSpan.FromDays(30)));
    }
}
