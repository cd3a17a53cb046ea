using Escalation.Notifications;
using Escalation.Silo.Notifications;
using Escalation.Silo.Storage;
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

    private static DeliveryClaim Claim(string id) => new(id, "INC1", null, "aiko", ChannelNames.Sms, "+819012345678");

    [Fact]
    public async Task A_live_claim_keeps_a_second_consumer_out_and_an_expired_one_is_taken_over_with_its_attempts()
    {
        var first = Assert.IsType<Claim.Taken>(await _ledger.Claim(Claim("n1"), T0, Lease));
        Assert.Equal(1, first.Attempt); // the claim begins the first attempt
        Assert.Equal(2, await _ledger.BeginAttempt("n1", first.Token, T0, Lease));

        Assert.IsType<Claim.HeldElsewhere>(await _ledger.Claim(Claim("n1"), T0 + TimeSpan.FromSeconds(10), Lease));

        var second = Assert.IsType<Claim.Taken>(await _ledger.Claim(Claim("n1"), T0 + TimeSpan.FromSeconds(31), Lease));
        Assert.Equal(3, second.Attempt); // the two made before the takeover still count
        Assert.NotEqual(first.Token, second.Token);
    }

    [Fact]
    public async Task The_holder_that_lost_its_claim_can_neither_count_extend_nor_settle()
    {
        var first = Assert.IsType<Claim.Taken>(await _ledger.Claim(Claim("n2"), T0, Lease));
        var second = Assert.IsType<Claim.Taken>(await _ledger.Claim(Claim("n2"), T0 + Lease + TimeSpan.FromSeconds(1), Lease));

        Assert.Null(await _ledger.BeginAttempt("n2", first.Token, T0, Lease));
        Assert.False(await _ledger.ExtendLease("n2", first.Token, T0, Lease));
        Assert.Null(await _ledger.Settle("n2", first.Token, DeliveryStatus.Sent, T0, null, "SMold", null, new AttemptRecord(1, T0, "delivered")));

        var settled = await _ledger.Settle("n2", second.Token, DeliveryStatus.Sent, T0, null, "SMnew", null, new AttemptRecord(2, T0, "delivered"));
        Assert.Equal("SMnew", settled!.ProviderMessageId);
        Assert.Equal(DeliveryStatus.Sent, settled.Status);
    }

    [Fact]
    public async Task A_settled_notification_is_answered_from_the_ledger_and_never_claimed_again()
    {
        var taken = Assert.IsType<Claim.Taken>(await _ledger.Claim(Claim("n3"), T0, Lease));
        await _ledger.Settle("n3", taken.Token, DeliveryStatus.Failed, T0, "twilio 21211: invalid", null, null, new AttemptRecord(1, T0, "permanent"));

        var later = Assert.IsType<Claim.Settled>(await _ledger.Claim(Claim("n3"), T0 + TimeSpan.FromHours(1), Lease));
        Assert.Equal(DeliveryStatus.Failed, later.Delivery.Status);
        Assert.Equal("twilio 21211: invalid", later.Delivery.Error);
        Assert.Equal(NotificationStatus.Failed, later.Delivery.Report(T0).Status);
    }

    [Fact]
    public async Task A_late_provider_failure_fails_every_page_its_message_carried_once()
    {
        foreach (var id in new[] { "b1", "b2" })
        {
            var taken = Assert.IsType<Claim.Taken>(await _ledger.Claim(Claim(id), T0, Lease));
            await _ledger.Settle(id, taken.Token, DeliveryStatus.Sent, T0, null, "SMbundle", null, new AttemptRecord(1, T0, "delivered"));
        }
        var failed = await _ledger.RecordProviderStatus("SMbundle", null, "undelivered", "twilio 30003: message undelivered", T0);
        Assert.Equal(["b1", "b2"], failed.Select(d => d.NotificationId).Order());
        Assert.Empty(await _ledger.RecordProviderStatus("SMbundle", null, "undelivered", "twilio 30003: message undelivered", T0));
    }

    [Fact]
    public async Task A_failure_callback_that_beats_the_settle_turns_the_settle_into_a_failure()
    {
        var taken = Assert.IsType<Claim.Taken>(await _ledger.Claim(Claim("early"), T0, Lease));
        Assert.Empty(await _ledger.RecordProviderStatus("SMearly", "early", "failed", "twilio 30006: message failed", T0));

        var settled = await _ledger.Settle("early", taken.Token, DeliveryStatus.Sent, T0, null, "SMearly", null, new AttemptRecord(1, T0, "delivered"));
        Assert.Equal(DeliveryStatus.Failed, settled!.Status);
        Assert.Equal("twilio 30006: message failed", settled.Error);
        Assert.Equal(NotificationStatus.Failed, settled.Report(T0).Status);
    }
}
