using Escalation.Alerts;
using Escalation.Configuration;
using Escalation.Incidents;
using Escalation.Notifications;
using Escalation.Practice;
using Escalation.Releases;
using Escalation.Storage.Changes;
using Escalation.Storage.Configuration;
using Escalation.Tests.Grains;
using Escalation.Testing;

namespace Escalation.Tests.Releases;

public sealed class ReleaseWatchTests : IAsyncLifetime
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private EscalationCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await EscalationCluster.StartAsync();
        await OnCallSetup.Load(_cluster.Store);
        await _cluster.Store.Put(ConfigurationStore.Tables.Users, "aiko", new User("aiko", "Aiko", "aiko@example.com", null, "U0AIKO", "Asia/Tokyo"));
        await _cluster.Store.Put(ConfigurationStore.Tables.Services, OnCallSetup.ServiceId,
            new Service(OnCallSetup.ServiceId, "Checkout", "default", "0123456789abcdef0123456789abcdef", null, SlackChannel: "C0CHECKOUT",
                ResponseTargets: OnCallSetup.NoTargets, StatusUpdates: new StatusUpdatePolicy([]),
                Dashboards: [new IncidentLink("https://grafana.example.com/d/checkout", "Checkout overview")]));
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Whoever_released_and_the_channel_are_asked_to_check_at_T_plus_25_and_T_plus_45()
    {
        var watch = _cluster.Grains.GetGrain<IReleaseWatchGrain>("rel-1");
        await watch.Start(new ReleaseWatch("rel-1", OnCallSetup.ServiceId, "Deploy 2026.11.23-1", _cluster.Clock.GetUtcNow(), "aiko", ["Sentry (sentry)"]));

        await _cluster.Advance(24 * Minute, Minute, () => _cluster.Deadlines.WhenIdle());
        Assert.Empty(await watch.Announcements());
        await _cluster.Advance(Minute, Minute, () => _cluster.Deadlines.WhenIdle());
        var first = await watch.Announcements();
        Assert.Equal([("aiko", null, ChannelNames.Slack), (null, "C0CHECKOUT", ChannelNames.Slack)], first.Select(a => (a.UserId, a.SlackChannel, a.Channel)));
        Assert.Equal("Release check T+25 for Checkout: \"Deploy 2026.11.23-1\" went to production at 2026-11-23T01:00Z. " +
            "Check Checkout overview (https://grafana.example.com/d/checkout); alert sources: Sentry (sentry); no incident opened since.", first[0].Text);

        await _cluster.Advance(20 * Minute, Minute, () => _cluster.Deadlines.WhenIdle());
        var all = await watch.Announcements();
        Assert.Equal(4, all.Count);
        Assert.StartsWith("Release check T+45", all[3].Text);
        // Handed to the bus and reported back (the log channel stands in for Slack here).
        await Eventually.Get(watch.Announcements, a => a.All(x => x.Status == NotificationStatus.Sent), "the reminders to be sent");
        await _cluster.Advance(TimeSpan.FromHours(1), 10 * Minute, () => _cluster.Deadlines.WhenIdle());
        Assert.Equal(4, (await watch.Announcements()).Count);

        // Starting it again (a redelivered change event) changes nothing.
        await watch.Start(new ReleaseWatch("rel-1", OnCallSetup.ServiceId, "again", _cluster.Clock.GetUtcNow(), null, []));
        Assert.Equal(4, (await watch.Announcements()).Count);
    }

    [Fact]
    public async Task A_release_told_half_an_hour_late_gets_only_the_check_still_ahead()
    {
        var watch = _cluster.Grains.GetGrain<IReleaseWatchGrain>("rel-late");
        await watch.Start(new ReleaseWatch("rel-late", OnCallSetup.ServiceId, "Hotfix", _cluster.Clock.GetUtcNow().AddMinutes(-31), "aiko", []));
        await _cluster.Advance(Minute, Minute, () => _cluster.Deadlines.WhenIdle());
        Assert.Empty(await watch.Announcements());
        await _cluster.Advance(14 * Minute, Minute, () => _cluster.Deadlines.WhenIdle());
        Assert.All(await watch.Announcements(), a => Assert.StartsWith("Release check T+45", a.Text));
        Assert.Equal(2, (await watch.Announcements()).Count);
    }

    [Fact]
    public async Task With_nobody_named_the_on_call_is_asked()
    {
        var watch = _cluster.Grains.GetGrain<IReleaseWatchGrain>("rel-2");
        await watch.Start(new ReleaseWatch("rel-2", OnCallSetup.ServiceId, "Config push", _cluster.Clock.GetUtcNow(), null, []));
        await _cluster.Advance(25 * Minute, 5 * Minute, () => _cluster.Deadlines.WhenIdle());
        var announcements = await watch.Announcements();
        // The on-call at level 1 has only an email address.
        Assert.Equal([("oncall", ChannelNames.Email), ("", ChannelNames.Slack)], announcements.Select(a => (a.UserId ?? "", a.Channel)));
        Assert.Contains("alert sources: none configured; no incident opened since.", announcements[0].Text);
    }

    [Fact]
    public async Task An_incident_opened_within_45_minutes_of_a_production_release_is_linked_to_it()
    {
        var changes = new ChangeEventStore(_cluster.Db, _cluster.Clock);
        var release = await changes.Record(OnCallSetup.ServiceId, "Deploy 2026.11.23-2", "github", null, """{"environment":"Production"}""", []);
        await changes.Record(OnCallSetup.ServiceId, "Staging deploy", "github", null, """{"environment":"staging"}""", []);
        // Dated in the future: it is not the release being watched now.
        await changes.Record(OnCallSetup.ServiceId, "Scheduled deploy", "github", _cluster.Clock.GetUtcNow().AddHours(3), """{"environment":"production"}""", []);

        _cluster.Clock.Advance(12 * Minute);
        var during = (await (await Trigger("during")).Get())!;
        Assert.Equal(new ReleaseLink(release.Id.ToString(), "Deploy 2026.11.23-2", release.At), during.Release);
        Assert.Contains(during.Timeline, e => e.Type == "release" && e.Message.StartsWith("Opened PT12M after the production release \"Deploy 2026.11.23-2\""));

        _cluster.Clock.Advance(34 * Minute);
        Assert.Null((await (await Trigger("after")).Get())!.Release);
    }

    private async Task<IIncidentGrain> Trigger(string dedupKey)
    {
        var id = await _cluster.Grains.GetGrain<IAlertKeyGrain>(AlertKeys.For(OnCallSetup.ServiceId, dedupKey)).Trigger(OnCallSetup.TriggerFor(dedupKey));
        return _cluster.Grains.GetGrain<IIncidentGrain>(id);
    }
}
