using Escalation.Storage.Deliveries;
using Escalation.Notifications;
using Escalation.Silo.Notifications;
using Escalation.Storage.Schema;
using Escalation.Testing;
using Npgsql;

namespace Escalation.Tests.Notifications;

/// <summary>The claim on a notification: what keeps a page from going out twice when consumers race or die.</summary>
public sealed class DeliveryLedgerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
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

    private const string SiloA = "127.0.0.1:11111@1", SiloB = "127.0.0.1:11112@1";

    private static DeliveryClaim Claim(string id) => new(id, "INC1", null, "aiko", ChannelNames.Sms, "+819012345678");

    /// <summary>A claim by <paramref name="silo"/>, whose view of the cluster has it and <paramref name="alsoAlive"/> alive.</summary>
    private Task<Claim> ClaimAs(string silo, string id, DateTimeOffset at, params string[] alsoAlive) =>
        _ledger.Claim(Claim(id), new Claimant(silo, [silo, .. alsoAlive]), Guid.NewGuid(), at, Lease);

    [Fact]
    public async Task A_live_claim_keeps_a_second_consumer_out_and_an_expired_one_of_a_dead_silo_is_taken_over_with_its_attempts()
    {
        var first = Assert.IsType<Claim.Taken>(await ClaimAs(SiloA, "n1", T0));
        Assert.Equal(1, first.Attempt); // the claim begins the first attempt
        Assert.Equal(2, await _ledger.BeginAttempt("n1", first.Token, T0, Lease));

        Assert.IsType<Claim.HeldElsewhere>(await ClaimAs(SiloB, "n1", T0 + TimeSpan.FromSeconds(10), SiloA));

        var second = Assert.IsType<Claim.Taken>(await ClaimAs(SiloB, "n1", T0 + TimeSpan.FromSeconds(31))); // silo A died
        Assert.Equal(3, second.Attempt); // the two made before the takeover still count
        Assert.NotEqual(first.Token, second.Token);
    }

    [Fact]
    public async Task The_holder_that_lost_its_claim_can_neither_count_extend_nor_settle()
    {
        var first = Assert.IsType<Claim.Taken>(await ClaimAs(SiloA, "n2", T0));
        var second = Assert.IsType<Claim.Taken>(await ClaimAs(SiloB, "n2", T0 + Lease + TimeSpan.FromSeconds(1)));

        Assert.Null(await _ledger.BeginAttempt("n2", first.Token, T0, Lease));
        Assert.False(await _ledger.ExtendLease("n2", first.Token, T0, Lease));
        Assert.Null(await _ledger.Settle("n2", ChannelNames.Sms, first.Token, DeliveryStatus.Sent, T0, null, "SMold", null, new AttemptRecord(1, T0, "delivered")));

        var settled = await _ledger.Settle("n2", ChannelNames.Sms, second.Token, DeliveryStatus.Sent, T0, null, "SMnew", null, new AttemptRecord(2, T0, "delivered"));
        Assert.Equal("SMnew", settled!.ProviderMessageId);
        Assert.Equal(DeliveryStatus.Sent, settled.Status);
    }

    [Fact]
    public async Task An_expired_claim_of_a_silo_still_alive_is_not_taken_over_and_its_holder_settles_it()
    {
        var held = Assert.IsType<Claim.Taken>(await ClaimAs(SiloA, "alive", T0));

        // Its lease ran out while the database was away; silo A lives, and settles the page once the database is back.
        Assert.IsType<Claim.HeldElsewhere>(await ClaimAs(SiloB, "alive", T0 + TimeSpan.FromMinutes(10), SiloA));
        var settled = await _ledger.Settle("alive", ChannelNames.Sms, held.Token, DeliveryStatus.Sent, T0 + TimeSpan.FromMinutes(10), null, "SMalive", null,
            new AttemptRecord(1, T0, "delivered"));
        Assert.Equal((DeliveryStatus.Sent, 1), (settled!.Status, settled.Attempts));
    }

    [Fact]
    public async Task A_claim_made_again_with_its_token_is_the_same_claim_and_attempt()
    {
        // The database went away before it answered the first: the claim may or may not have been written.
        var token = Guid.NewGuid();
        Assert.IsType<Claim.Taken>(await _ledger.Claim(Claim("again"), new Claimant(SiloA, [SiloA]), token, T0, Lease));
        var again = Assert.IsType<Claim.Taken>(await _ledger.Claim(Claim("again"), new Claimant(SiloA, [SiloA]), token, T0 + TimeSpan.FromSeconds(5), Lease));
        Assert.Equal((1, token), (again.Attempt, again.Token));
    }

    [Fact]
    public async Task A_released_claim_is_taken_over_once_its_lease_runs_out_though_its_silo_lives()
    {
        var first = Assert.IsType<Claim.Taken>(await ClaimAs(SiloA, "released", T0));
        await _ledger.Release("released", first.Token);

        Assert.IsType<Claim.HeldElsewhere>(await ClaimAs(SiloB, "released", T0 + TimeSpan.FromSeconds(10), SiloA));
        Assert.Equal(2, Assert.IsType<Claim.Taken>(await ClaimAs(SiloB, "released", T0 + TimeSpan.FromSeconds(31), SiloA)).Attempt);
    }

    [Fact]
    public async Task A_settled_notification_is_answered_from_the_ledger_and_never_claimed_again()
    {
        var taken = Assert.IsType<Claim.Taken>(await ClaimAs(SiloA, "n3", T0));
        await _ledger.Settle("n3", ChannelNames.Sms, taken.Token, DeliveryStatus.Failed, T0, "twilio 21211: invalid", null, null, new AttemptRecord(1, T0, "permanent"));

        var later = Assert.IsType<Claim.Settled>(await ClaimAs(SiloB, "n3", T0 + TimeSpan.FromHours(1), SiloA));
        Assert.Equal(DeliveryStatus.Failed, later.Delivery.Status);
        Assert.Equal("twilio 21211: invalid", later.Delivery.Error);
        Assert.Equal(NotificationStatus.Failed, later.Delivery.Report(T0).Status);
    }

    [Fact]
    public async Task A_failure_is_the_recipient_s_only_when_its_settling_attempt_was_permanent()
    {
        var permanent = Assert.IsType<Claim.Taken>(await ClaimAs(SiloA, "bad-number", T0));
        var gaveUp = Assert.IsType<Claim.Taken>(await ClaimAs(SiloA, "outage", T0));

        var refused = await _ledger.Settle("bad-number", ChannelNames.Sms, permanent.Token, DeliveryStatus.Failed, T0, "twilio 21211: invalid", null, null, new AttemptRecord(1, T0, "permanent"));
        var exhausted = await _ledger.Settle("outage", ChannelNames.Sms, gaveUp.Token, DeliveryStatus.Failed, T0, "gave up after 5 attempts: twilio 503", null, null, new AttemptRecord(5, T0, "transient"));

        Assert.True(refused!.Report(T0).Permanent);
        Assert.False(exhausted!.Report(T0).Permanent);
        Assert.True(Assert.IsType<Claim.Settled>(await ClaimAs(SiloB, "bad-number", T0 + TimeSpan.FromHours(1), SiloA)).Delivery.Report(T0).Permanent);
    }

    [Fact]
    public async Task A_late_provider_failure_fails_every_page_its_message_carried_once()
    {
        foreach (var id in new[] { "b1", "b2" })
        {
            var taken = Assert.IsType<Claim.Taken>(await ClaimAs(SiloA, id, T0));
            await _ledger.Settle(id, ChannelNames.Sms, taken.Token, DeliveryStatus.Sent, T0, null, "SMbundle", null, new AttemptRecord(1, T0, "delivered"));
        }
        var failed = await _ledger.RecordProviderStatus("SMbundle", null, "undelivered", "twilio 30003: message undelivered", T0);
        Assert.Equal(["b1", "b2"], failed.Select(d => d.NotificationId).Order());
        Assert.Empty(await _ledger.RecordProviderStatus("SMbundle", null, "undelivered", "twilio 30003: message undelivered", T0));
    }

    [Fact]
    public async Task A_failure_callback_that_beats_the_settle_turns_the_settle_into_a_failure()
    {
        var taken = Assert.IsType<Claim.Taken>(await ClaimAs(SiloA, "early", T0));
        Assert.Empty(await _ledger.RecordProviderStatus("SMearly", "early", "failed", "twilio 30006: message failed", T0));

        var settled = await _ledger.Settle("early", ChannelNames.Sms, taken.Token, DeliveryStatus.Sent, T0, null, "SMearly", null, new AttemptRecord(1, T0, "delivered"));
        Assert.Equal(DeliveryStatus.Failed, settled!.Status);
        Assert.Equal("twilio 30006: message failed", settled.Error);
        Assert.Equal(NotificationStatus.Failed, settled.Report(T0).Status);
    }
}
