using Escalation.Storage.Deliveries;
using Escalation.Storage.Writes;
using Escalation.Api.Incidents;
using Escalation.Notifications;
using Escalation.Silo.Notifications;
using Escalation.Storage.Incidents;
using Escalation.Storage.Schema;
using Escalation.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Escalation.Tests.Notifications;

/// <summary>
/// The ledger's claims and settles are grouped per channel into shared transactions: each caller still gets the
/// answer it would have had alone, and a page delivered at once writes no row of the attempt log.
/// </summary>
public sealed class DeliveryLedgerBatchTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private const string SiloA = "127.0.0.1:11111@1";
    private NpgsqlDataSource _db = null!;
    private DeliveryLedger _ledger = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await TestPostgres.CreateDatabase();
        await SchemaMigrator.Apply(connectionString);
        _db = NpgsqlDataSource.Create(connectionString);
        _ledger = new DeliveryLedger(_db);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static DeliveryClaim Claim(string id, string recipient = "aiko") => new(id, "INC1", null, recipient, ChannelNames.Sms, "+819012345678");

    private Task<Claim> ClaimAs(string silo, string id, DateTimeOffset at) =>
        _ledger.Claim(Claim(id), new Claimant(silo, [silo, SiloA]), Guid.NewGuid(), at, Lease);

    [Fact]
    public async Task Of_64_concurrent_claims_of_one_notification_exactly_one_wins()
    {
        var claims = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() => ClaimAs($"127.0.0.1:{12000 + i}@1", "contested", T0))));

        Assert.Single(claims.OfType<Claim.Taken>());
        Assert.Equal(63, claims.OfType<Claim.HeldElsewhere>().Count());
        Assert.Equal(1, (await _ledger.Find("contested"))!.Attempts);
    }

    [Fact]
    public async Task Concurrent_claims_of_many_notifications_are_each_taken_and_a_settled_one_is_answered_from_the_ledger()
    {
        var done = Assert.IsType<Claim.Taken>(await ClaimAs(SiloA, "done", T0));
        await _ledger.Settle("done", ChannelNames.Sms, done.Token, DeliveryStatus.Sent, T0, null, "SMdone", null, new AttemptRecord(1, T0, "delivered"));

        var ids = Enumerable.Range(0, 100).Select(i => $"many-{i}").Append("done").ToList();
        var claims = await Task.WhenAll(ids.Select(id => Task.Run(() => ClaimAs(SiloA, id, T0 + TimeSpan.FromSeconds(1)))));

        Assert.All(claims.SkipLast(1), c => Assert.Equal(1, Assert.IsType<Claim.Taken>(c).Attempt));
        Assert.Equal("SMdone", Assert.IsType<Claim.Settled>(claims[^1]).Delivery.ProviderMessageId);
        var counts = _ledger.ClaimBatching[ChannelNames.Sms];
        output.WriteLine($"{counts.Items} claims in {counts.Batches} transactions: {counts.MeanBatchSize:F1} a batch");
        Assert.Equal(102, counts.Items);
    }

    [Fact]
    public async Task A_claim_that_cannot_be_written_fails_with_its_batch_and_nothing_of_the_batch_is_written()
    {
        // A recipient the table refuses (user_id is NOT NULL) fails the transaction of whatever batch it lands in.
        var claims = Enumerable.Range(0, 30).Select(i => i == 15 ? Claim("poison", recipient: null!) : Claim($"mixed-{i}"))
            .Select(claim => Task.Run(() => _ledger.Claim(claim, new Claimant(SiloA, [SiloA]), Guid.NewGuid(), T0, Lease))).ToList();
        await Task.WhenAll(claims.Select(c => c.ContinueWith(_ => { })));

        Assert.True(claims[15].IsFaulted);
        for (var i = 0; i < claims.Count; i++)
        {
            var row = await _ledger.Find(i == 15 ? "poison" : $"mixed-{i}");
            if (claims[i].IsFaulted) Assert.Null(row);
            else Assert.Equal(DeliveryStatus.Sending, row!.Status);
        }
        // The failed callers claim again, as the pipeline does, and get their claim.
        var again = await _ledger.Claim(Claim("mixed-14"), new Claimant(SiloA, [SiloA]), Guid.NewGuid(), T0, Lease);
        Assert.True(again is Escalation.Storage.Deliveries.Claim.Taken or Escalation.Storage.Deliveries.Claim.HeldElsewhere);
    }

    [Fact]
    public async Task A_page_delivered_at_once_writes_no_attempt_row_and_the_log_still_shows_its_attempt()
    {
        var taken = Assert.IsType<Claim.Taken>(await ClaimAs(SiloA, "at-once", T0));
        var settled = await _ledger.Settle("at-once", ChannelNames.Sms, taken.Token, DeliveryStatus.Sent, T0 + TimeSpan.FromSeconds(2), null, "SMonce", null,
            new AttemptRecord(1, T0 + TimeSpan.FromSeconds(1), "delivered"));

        Assert.Equal(DeliveryStatus.Sent, settled!.Status);
        Assert.Equal(0, await AttemptRows("at-once"));
        var attempt = Assert.Single((await new NotificationLog(_db).ForIncident("INC1"))["at-once"].Attempts);
        Assert.Equal(new AttemptView(1, T0 + TimeSpan.FromSeconds(1), T0 + TimeSpan.FromSeconds(2), "delivered", null, "SMonce"), attempt);
    }

    [Fact]
    public async Task A_retried_page_and_a_failed_one_keep_their_attempts_in_the_attempt_log()
    {
        var retried = Assert.IsType<Claim.Taken>(await ClaimAs(SiloA, "retried", T0));
        await _ledger.RecordAttempt("retried", 1, T0, T0 + TimeSpan.FromSeconds(1), "transient", "twilio 503", null);
        Assert.Equal(2, await _ledger.BeginAttempt("retried", retried.Token, T0 + TimeSpan.FromSeconds(6), Lease));
        await _ledger.Settle("retried", ChannelNames.Sms, retried.Token, DeliveryStatus.Sent, T0 + TimeSpan.FromSeconds(7), null, "SMretried", null,
            new AttemptRecord(2, T0 + TimeSpan.FromSeconds(6), "delivered"));

        var failed = Assert.IsType<Claim.Taken>(await ClaimAs(SiloA, "refused", T0));
        await _ledger.Settle("refused", ChannelNames.Sms, failed.Token, DeliveryStatus.Failed, T0, "twilio 21211: invalid", null, null,
            new AttemptRecord(1, T0, "permanent"));

        Assert.Equal(2, await AttemptRows("retried"));
        Assert.Equal(1, await AttemptRows("refused"));
        var log = await new NotificationLog(_db).ForIncident("INC1");
        Assert.Equal(["transient", "delivered"], log["retried"].Attempts.Select(a => a.Outcome));
        Assert.Equal(["permanent"], log["refused"].Attempts.Select(a => a.Outcome));
    }

    [Fact]
    public async Task Concurrent_settles_are_each_answered_for_their_own_claim()
    {
        var taken = new List<(string Id, Claim.Taken Claim)>();
        for (var i = 0; i < 40; i++) taken.Add(($"settle-{i}", Assert.IsType<Claim.Taken>(await ClaimAs(SiloA, $"settle-{i}", T0))));

        var settled = await Task.WhenAll(taken.Select((t, i) => Task.Run(() => _ledger.Settle(t.Id, ChannelNames.Sms,
            i % 2 == 0 ? t.Claim.Token : Guid.NewGuid(), DeliveryStatus.Sent, T0, null, $"SM{i}", null, new AttemptRecord(1, T0, "delivered")))));

        for (var i = 0; i < settled.Length; i++)
            if (i % 2 == 0) Assert.Equal($"SM{i}", settled[i]!.ProviderMessageId);
            else Assert.Null(settled[i]); // not this caller's claim
    }

    private async Task<long> AttemptRows(string id)
    {
        await using var cmd = _db.CreateCommand("SELECT count(*) FROM notification_attempts WHERE notification_id = $1");
        cmd.Parameters.AddWithValue(id);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
