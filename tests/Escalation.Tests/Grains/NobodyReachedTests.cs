using Escalation.Alerts;
using Escalation.Configuration;
using Escalation.Incidents;
using Escalation.Notifications;
using Escalation.Storage.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Tests.Grains;

/// <summary>A provider outage of ten minutes, on the fake clock and the delivery pipeline's own retry schedule.</summary>
public sealed class NobodyReachedTests : IAsyncLifetime
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private EscalationCluster _cluster = null!;
    private readonly ScriptedProviders _providers = new();

    public async Task InitializeAsync()
    {
        _cluster = await EscalationCluster.StartAsync(services => services.AddSingleton<INotificationDispatcher>(_providers));
        (_providers.Clock, _providers.Grains) = (_cluster.Clock, _cluster.Grains);
        var store = _cluster.Store;
        foreach (var id in (string[])["first", "b1", "b2"])
            await store.Put(ConfigurationStore.Tables.Users, id, new User(id, id, $"{id}@example.com", null, null, "Asia/Tokyo"));
        await store.Put(ConfigurationStore.Tables.Teams, "backend", new Team("backend", "Backend", ["b1", "b2"]));
        var twoMinutes = TimeSpan.FromMinutes(2);
        await store.Put(ConfigurationStore.Tables.Policies, "two-levels", new EscalationPolicy("two-levels", "Two levels", 0,
        [
            new EscalationLevel(twoMinutes, [new EscalationTarget(TargetType.User, "first")]),
            new EscalationLevel(twoMinutes, [new EscalationTarget(TargetType.Team, "backend")]),
        ]));
        await store.Put(ConfigurationStore.Tables.Services, "outage", new Service("outage", "Outage", "two-levels", "fedcba9876543210fedcba9876543210", null));
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task After_a_ten_minute_outage_of_every_provider_everyone_paged_so_far_is_reached_within_two_minutes_once_each()
    {
        var start = EscalationCluster.Start;
        var recovered = start.AddMinutes(10);
        _providers.Outage = (start.AddSeconds(-1), recovered);
        var id = await _cluster.Grains.GetGrain<IAlertKeyGrain>(AlertKeys.For("outage", "db"))
            .Trigger(new IncidentTrigger("outage", "db", "Database down", Severity.Critical, "monitor", null, null, null, null, [], "test"));
        var incident = _cluster.Grains.GetGrain<IIncidentGrain>(id);

        var leftWithNothing = new List<DateTimeOffset>();
        await _cluster.Advance(TimeSpan.FromMinutes(14), Second, async () =>
        {
            await _providers.Settle(_cluster.Clock.GetUtcNow());
            var state = (await incident.Get())!;
            var reached = state.Notifications.Any(n => n.Kind == NotificationKind.Page && n.Status == NotificationStatus.Sent);
            if (!reached && state.NextDeadline is null && !state.Notifications.Any(n => n.Status == NotificationStatus.Pending))
                leftWithNothing.Add(_cluster.Clock.GetUtcNow());
        });

        Assert.Empty(leftWithNothing); // never nobody reached and nothing scheduled
        var final = (await incident.Get())!;
        var pages = _providers.Pages;

        // Everyone paged so far was paged again through the outage, and no wait between the failure of a person's
        // pages and their next page was longer than a minute (the one-second steps of the clock aside).
        foreach (var person in pages.GroupBy(p => p.Page.UserId))
        {
            var rounds = person.GroupBy(p => Retry(final, p)).OrderBy(g => g.Key).ToList();
            // (Each round takes the pipeline's 75 s of attempts: four or five rounds in ten minutes.)
            Assert.True(rounds.Count >= 5, $"{person.Key} was paged in only {rounds.Count} rounds");
            for (var r = 1; r < rounds.Count; r++)
                Assert.InRange(rounds[r].Min(p => p.At) - rounds[r - 1].Max(p => p.SettledAt!.Value), TimeSpan.Zero, TimeSpan.FromSeconds(61));
        }

        // Once the providers were back, each of them was reached within two minutes, exactly once.
        var sent = pages.Where(p => p.Outcome == NotificationStatus.Sent).ToList();
        Assert.Equal(["b1", "b2", "first"], sent.Select(p => p.Page.UserId).Order());
        Assert.All(sent, p => Assert.InRange(p.SettledAt!.Value, recovered, recovered.AddMinutes(2)));
        Assert.All(pages.Where(p => p.Outcome != NotificationStatus.Sent), p => Assert.Equal(NotificationStatus.Failed, p.Outcome));
        Assert.Equal(pages.Count, pages.Select(p => p.Page.NotificationId).Distinct().Count());
        Assert.DoesNotContain(pages, p => p.At > recovered.AddMinutes(2));

        // It walked the policy as before (level 2 at once, when level 1 could not be reached) and has nothing left to do.
        Assert.Equal(IncidentStatus.Triggered, final.Status);
        Assert.Equal(2, final.Position.Level + 1);
        Assert.Null(final.RetryAt);
        Assert.Null(final.NextDeadline);
        Assert.Contains(final.Timeline, e => e.Type == "nobody_reached" && e.Message.StartsWith("Nobody has been reached yet: paging first again at"));
    }

    [Fact]
    public async Task Acknowledging_while_nobody_was_reached_stops_paging_again()
    {
        var start = EscalationCluster.Start;
        _providers.Outage = (start.AddSeconds(-1), start.AddHours(1));
        var id = await _cluster.Grains.GetGrain<IAlertKeyGrain>(AlertKeys.For("outage", "ack"))
            .Trigger(new IncidentTrigger("outage", "ack", "Queue stuck", Severity.Critical, "monitor", null, null, null, null, [], "test"));
        var incident = _cluster.Grains.GetGrain<IIncidentGrain>(id);
        await _cluster.Advance(TimeSpan.FromMinutes(4), Second, () => _providers.Settle(_cluster.Clock.GetUtcNow()));
        Assert.Contains((await incident.Get())!.Timeline, e => e.Type == "nobody_reached");

        Assert.Equal(CommandOutcome.Done, (await incident.Acknowledge("first", "on it, saw the dashboard")).Outcome);
        var handed = _providers.Pages.Count;
        await _cluster.Advance(TimeSpan.FromMinutes(5), Second, () => _providers.Settle(_cluster.Clock.GetUtcNow()));
        Assert.Equal(handed, _providers.Pages.Count);
        Assert.Null((await incident.Get())!.RetryAt);
    }

    private static int Retry(IncidentState state, ScriptedProviders.Handed page) =>
        state.Notifications.Single(n => n.Id == page.Page.NotificationId).Retry;
}
