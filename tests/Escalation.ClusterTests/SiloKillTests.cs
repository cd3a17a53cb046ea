using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Escalation.Testing;
using Npgsql;

namespace Escalation.ClusterTests;

/// <summary>
/// Three real silo processes on one database. Incidents and rotations are spread over them, one silo is killed with
/// SIGKILL while its incidents' deadlines and the rotations' handoffs are still ahead, and the survivors must keep
/// every deadline and handoff (late by at most the reminder backstop) without any page or announcement going out twice.
/// </summary>
public sealed partial class SiloKillTests(ITestOutputHelper output) : IDisposable
{
    private const int SiloCount = 3;
    private const int IncidentCount = 30;
    private const int RotationCount = 6;
    /// <summary>The rotations hand off this long after they are configured: after the kill, which comes about 20 s in.</summary>
    private static readonly TimeSpan HandoffAfterSetup = TimeSpan.FromSeconds(32);
    private const string AdminKey = "cluster-test-admin-key-5f1c2a9e7b";
    private static readonly TimeSpan EscalateAfter = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan WorstLatenessAllowed = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan KillBeforeFirstDeadline = TimeSpan.FromSeconds(2);

    private readonly List<SiloProcess> _silos = [];
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private string? _logDirectory;
    private bool _passed;

    private sealed record Incident(string Id, string DedupKey);

    private sealed record Page(string NotificationId, string IncidentId, int Level, string Silo);

    [Fact, Trait("Category", "Cluster")]
    public Task Deadlines_of_a_killed_silo_fire_on_the_survivors_and_no_page_is_sent_twice() => WithSiloLogsOnFailure(Run);

    /// <summary>Runs a drill; when it fails, the end of every silo's log goes to the test output.</summary>
    private async Task WithSiloLogsOnFailure(Func<Task> drill)
    {
        try
        {
            await drill();
            _passed = true;
        }
        catch
        {
            foreach (var silo in _silos)
                Say($"---- last lines of {silo.Name} (pid {SafePid(silo)}{(silo.Killed ? ", killed" : "")}) ----{Environment.NewLine}{silo.Tail(40)}");
            Say($"Full silo logs are in {_logDirectory}");
            throw;
        }
    }

    private async Task Run()
    {
        // 1. A database of its own.
        var connectionString = await TestPostgres.CreateDatabase();
        var siloDll = SiloDll();
        _logDirectory = Directory.CreateTempSubdirectory("escalation-cluster-").FullName;
        Say($"Silo: {siloDll}; logs in {_logDirectory}");

        // 2. Three silo processes.
        var ports = SiloProcess.FreePorts(SiloCount * 2);
        for (var i = 0; i < SiloCount; i++)
        {
            var httpPort = ports[2 * i + 1];
            var environment = new Dictionary<string, string>
            {
                ["ConnectionStrings__Escalation"] = connectionString,
                ["Escalation__Silo__Port"] = ports[2 * i].ToString(),
                ["Escalation__Silo__ProbeTimeoutSeconds"] = "1",
                ["Escalation__Incidents__RedriveAfter"] = "00:00:05",
                ["Urls"] = $"http://127.0.0.1:{httpPort}",
                ["Escalation__Auth__BootstrapAdminKey"] = AdminKey,
                ["Escalation__Demo__Enabled"] = "false",
                ["Logging__LogLevel__Default"] = "Information",
                ["DOTNET_ENVIRONMENT"] = "Production",
                // Timestamps make the kept logs readable; the page.sent lines are parsed either way.
                ["Logging__Console__TimestampFormat"] = "HH:mm:ss.fff ",
                ["Logging__Console__UseUtcTimestamp"] = "true",
            };
            var silo = SiloProcess.Start($"silo{i}", siloDll, httpPort, environment, Path.Combine(_logDirectory, $"silo{i}.log"));
            _silos.Add(silo);
            Say($"Started {silo.Name}: pid {silo.Id}, http {httpPort}, silo port {ports[2 * i]}");
        }
        await Task.WhenAll(_silos.Select(WaitUntilReady));
        Say("All silos are ready");

        // 3. Configuration: a three-level policy, 20 s a level.
        var admin = _silos[0];
        foreach (var (id, name) in new[] { ("oncall", "On Call"), ("b1", "Backend One"), ("b2", "Backend Two"), ("lead", "Lead") })
            await Call(admin, HttpMethod.Put, $"/api/v1/users/{id}", new { name, time_zone = "Etc/UTC" });
        await Call(admin, HttpMethod.Put, "/api/v1/teams/team-backend", new { name = "Backend", members = new[] { "b1", "b2" } });
        await Call(admin, HttpMethod.Put, "/api/v1/teams/leadership", new { name = "Leadership", members = new[] { "lead" } });
        await Call(admin, HttpMethod.Put, "/api/v1/escalation-policies/fast", new
        {
            name = "Fast",
            repeat = 0,
            levels = new object[]
            {
                new { escalate_after = "PT20S", targets = new[] { new { type = "user", id = "oncall" } } },
                new { escalate_after = "PT20S", targets = new[] { new { type = "team", id = "team-backend" } } },
                new { escalate_after = "PT20S", targets = new[] { new { type = "team", id = "leadership" } } },
            },
        });
        var service = await Call(admin, HttpMethod.Put, "/api/v1/services/svc", new { name = "Service", escalation_policy_id = "fast" });

        // Hourly rotations whose shift 0 begins after the kill: b1 hands over to b2 then, announced to a channel.
        var now = DateTimeOffset.UtcNow;
        var handoff = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero) + HandoffAfterSetup;
        var rotations = Enumerable.Range(0, RotationCount).Select(i => $"hourly-{i}").ToList();
        for (var i = 0; i < RotationCount; i++)
        {
            await Call(_silos[i % SiloCount], HttpMethod.Put, $"/api/v1/rotations/{rotations[i]}", new
            {
                name = $"Hourly {i}",
                time_zone = "Etc/UTC",
                type = "hourly",
                shift_length = 1,
                start = handoff.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
                participants = new[] { "b2", "b1" },
                announce_channel = "C0CLUSTER01",
            });
        }
        Say($"{RotationCount} rotations hand off at {handoff:HH:mm:ss.fff}");
        var routingKey = service.GetProperty("integration_key").GetString()!;
        Assert.Equal(32, routingKey.Length);

        // 4. Incidents through Events v2, round-robin over the three silos.
        for (var i = 0; i < IncidentCount; i++)
        {
            await Call(_silos[i % SiloCount], HttpMethod.Post, "/v2/enqueue", new
            {
                routing_key = routingKey,
                event_action = "trigger",
                dedup_key = $"cluster-{i:D2}",
                payload = new { summary = $"Cluster incident {i}", source = "cluster-test", severity = "critical" },
            }, authenticated: false, expected: HttpStatusCode.Accepted);
        }
        var listed = (await Call(admin, HttpMethod.Get, "/api/v1/incidents?limit=100")).GetProperty("incidents").EnumerateArray().ToList();
        var incidents = listed.Select(e => new Incident(e.GetProperty("id").GetString()!, e.GetProperty("dedup_key").GetString()!)).ToList();
        Assert.Equal(IncidentCount, incidents.Count);
        Assert.Equal(IncidentCount, incidents.Select(i => i.Id).Distinct().Count());
        Assert.All(incidents, i => Assert.StartsWith("cluster-", i.DedupKey));
        var createdAt = listed.ToDictionary(e => e.GetProperty("id").GetString()!, e => e.GetProperty("created_at").GetDateTimeOffset());
        Say($"{IncidentCount} incidents triggered between {createdAt.Values.Min():HH:mm:ss.fff} and {createdAt.Values.Max():HH:mm:ss.fff}");

        // 5. Every level-1 page sent; the page.sent lines tell which process hosts which incident.
        await Until("every incident's level-1 page to be sent", TimeSpan.FromSeconds(60), async () =>
        {
            var done = 0;
            for (var i = 0; i < incidents.Count; i++)
            {
                var pages = await Notifications(_silos[i % SiloCount], incidents[i].Id);
                if (pages.Any(p => p.Level == 1 && p.Status == "sent")) done++;
            }
            return done == incidents.Count;
        });
        var level1Hosts = new Dictionary<string, string>();
        await Until("a page.sent line for every level-1 page", TimeSpan.FromSeconds(15), () =>
        {
            var level1 = SentPages().Where(p => p.Level == 1).ToList();
            foreach (var incident in incidents)
            {
                var hosts = level1.Where(p => p.IncidentId == incident.Id).Select(p => p.Silo).Distinct().ToList();
                if (hosts.Count == 0) return Task.FromResult(false);
                Assert.True(hosts.Count == 1, $"Incident {incident.Id} was paged at level 1 by {string.Join(" and ", hosts)}.");
                level1Hosts[incident.Id] = hosts[0];
            }
            return Task.FromResult(true);
        });
        var byHost = _silos.ToDictionary(s => s.Name, s => incidents.Where(i => level1Hosts[i.Id] == s.Name).Select(i => i.Id).ToList());
        Say("Incidents per silo: " + string.Join(", ", byHost.Select(h => $"{h.Key}={h.Value.Count}")));

        // 6. Kill the silo hosting the most incidents shortly before the first of their level-2 deadlines: the
        // earliest deadlines then pass while the cluster has not yet noticed the loss, the later ones after it has.
        var victim = _silos.OrderByDescending(s => byHost[s.Name].Count).First();
        var onVictim = byHost[victim.Name].ToHashSet();
        Assert.NotEmpty(onVictim);
        var victimFirstDeadline = onVictim.Min(id => createdAt[id]) + EscalateAfter;
        var wait = victimFirstDeadline - KillBeforeFirstDeadline - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        var killedAt = DateTimeOffset.UtcNow;
        Assert.True(killedAt < victimFirstDeadline - TimeSpan.FromMilliseconds(500),
            $"Too slow: the killed silo's first level-2 deadline ({victimFirstDeadline:HH:mm:ss.fff}) was (nearly) due at the kill ({killedAt:HH:mm:ss.fff}).");
        victim.Kill();
        Assert.True(victim.HasExited);
        var survivors = _silos.Where(s => s != victim).ToList();
        Say($"Killed {victim.Name} (hosting {onVictim.Count} incident(s)) at {killedAt:HH:mm:ss.fff}, " +
            $"{(victimFirstDeadline - killedAt).TotalSeconds:F1} s before the first of their level-2 deadlines");

        // 7. The survivors must escalate everything: level 2, then level 3 (the last). The read model is polled,
        // not the grains, so that the test itself never wakes an incident of the dead silo before its deadline.
        var poll = 0;
        await Until("every incident to reach level 3 on the survivors", TimeSpan.FromSeconds(120), async () =>
        {
            var page = await Call(survivors[poll++ % survivors.Count], HttpMethod.Get, "/api/v1/incidents?limit=100");
            var levels = page.GetProperty("incidents").EnumerateArray().ToDictionary(e => e.GetProperty("id").GetString()!, e => e.GetProperty("level").GetInt32());
            return incidents.All(i => levels.GetValueOrDefault(i.Id) >= 3);
        });
        var expectedPages = new[] { (1, "oncall"), (2, "b1"), (2, "b2"), (3, "lead") };
        var notifications = new Dictionary<string, List<NotificationSeen>>();
        await Until("every level-2 and level-3 page to be sent", TimeSpan.FromSeconds(60), async () =>
        {
            for (var i = 0; i < incidents.Count; i++)
                notifications[incidents[i].Id] = await Notifications(survivors[i % survivors.Count], incidents[i].Id);
            return notifications.Values.All(ns => expectedPages.All(e => ns.Any(n => (n.Level, n.UserId) == e && n.Status == "sent")));
        });
        Say($"All deadlines fired; done {(DateTimeOffset.UtcNow - killedAt).TotalSeconds:F1} s after the kill");

        var lateness2 = new Dictionary<string, TimeSpan>();
        var lateness3 = new Dictionary<string, TimeSpan>();
        for (var i = 0; i < incidents.Count; i++)
        {
            var id = incidents[i].Id;
            var view = await Call(survivors[i % survivors.Count], HttpMethod.Get, $"/api/v1/incidents/{id}");
            var created = view.GetProperty("created_at").GetDateTimeOffset();
            var escalations = view.GetProperty("timeline").EnumerateArray()
                .Where(t => t.GetProperty("type").GetString() == "escalated")
                .Select(t => (At: t.GetProperty("at").GetDateTimeOffset(), Message: t.GetProperty("message").GetString()!))
                .OrderBy(t => t.At)
                .ToList();
            Assert.True(escalations.Count == 2, $"Incident {id} escalated {escalations.Count} time(s): {string.Join("; ", escalations.Select(e => e.Message))}");
            Assert.EndsWith("escalated to level 2: @team-backend (Backend One, Backend Two)", escalations[0].Message);
            Assert.EndsWith("escalated to level 3: @leadership (Lead)", escalations[1].Message);
            Assert.Equal(3, view.GetProperty("escalation").GetProperty("level").GetInt32());

            lateness2[id] = escalations[0].At - (created + EscalateAfter);
            lateness3[id] = escalations[1].At - (escalations[0].At + EscalateAfter);
            // The level-2 pages were written in the same turn as the escalation.
            Assert.All(notifications[id].Where(n => n.Level == 2), n => Assert.Equal(escalations[0].At, n.CreatedAt));
            Assert.All(notifications[id].Where(n => n.Level == 3), n => Assert.Equal(escalations[1].At, n.CreatedAt));
            // A deadline never fires early.
            Assert.True(lateness2[id] >= TimeSpan.Zero, $"Incident {id} escalated to level 2 {-lateness2[id].TotalMilliseconds} ms early.");
            Assert.True(lateness3[id] >= TimeSpan.Zero, $"Incident {id} escalated to level 3 {-lateness3[id].TotalMilliseconds} ms early.");
        }

        Say("Killed silo's incidents, level-2 deadline after the kill -> lateness: " + string.Join(", ", onVictim
            .Select(id => (Due: createdAt[id] + EscalateAfter - killedAt, Late: lateness2[id]))
            .OrderBy(x => x.Due)
            .Select(x => $"{x.Due.TotalSeconds:F1}s->{x.Late.TotalMilliseconds:F0}ms")));
        Report("level 2, incidents on the killed silo", onVictim.Select(id => lateness2[id]));
        Report("level 2, incidents on the survivors", lateness2.Where(l => !onVictim.Contains(l.Key)).Select(l => l.Value));
        Report("level 2, all incidents", lateness2.Values);
        Report("level 3, all incidents", lateness3.Values);
        Say($"{onVictim.Count} of {IncidentCount} incidents were on the killed silo ({victim.Name})");

        var worst = lateness2.Values.Concat(lateness3.Values).Max();
        Assert.True(worst < WorstLatenessAllowed, $"The worst deadline fired {worst.TotalSeconds:F1} s late.");

        // The killed silo's incidents were escalated by the survivors.
        var sent = SentPages();
        foreach (var id in onVictim)
        {
            var later = sent.Where(p => p.IncidentId == id && p.Level >= 2).ToList();
            Assert.Equal(3, later.Count);
            Assert.All(later, p => Assert.NotEqual(victim.Name, p.Silo));
        }

        // 8. No page went out twice: once in the logs, once in the ledger, and exactly those the incidents call sent.
        var reportedSent = notifications.Values.SelectMany(ns => ns).Where(n => n.Status == "sent").Select(n => n.Id).ToList();
        Assert.Equal(IncidentCount * expectedPages.Length, reportedSent.Count);
        Assert.Equal(reportedSent.Count, reportedSent.Distinct().Count());
        Assert.All(notifications.Values.SelectMany(ns => ns), n => Assert.Equal("sent", n.Status));

        var duplicates = sent.GroupBy(p => p.NotificationId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key} by {string.Join(", ", g.Select(p => p.Silo))}").ToList();
        Assert.True(duplicates.Count == 0, "Pages sent more than once: " + string.Join("; ", duplicates));
        Assert.Equal(reportedSent.Order(StringComparer.Ordinal), sent.Select(p => p.NotificationId).Order(StringComparer.Ordinal));

        var ledger = new Dictionary<string, (long Rows, string Status)>();
        await using (var db = NpgsqlDataSource.Create(connectionString))
        await using (var cmd = db.CreateCommand(
            "SELECT notification_id, count(*), min(status) FROM notification_deliveries WHERE incident_id IS NOT NULL GROUP BY notification_id"))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) ledger[reader.GetString(0)] = (reader.GetInt64(1), reader.GetString(2));
        }
        Assert.Equal(reportedSent.Order(StringComparer.Ordinal), ledger.Keys.Order(StringComparer.Ordinal));
        Assert.All(ledger, row => Assert.Equal((1L, "sent"), row.Value));
        Say($"{sent.Count} pages sent, each exactly once (logs, ledger and incidents agree)");

        // 9. Every rotation handed off once, on a survivor if the killed silo was hosting it, and never early.
        await Until("every rotation's handoff to be announced", TimeSpan.FromSeconds(90), () =>
            Task.FromResult(HandoffAnnouncements().Select(a => a.RotationId).Distinct().Count() == RotationCount));
        await using (var db = NpgsqlDataSource.Create(connectionString))
        {
            var rows = await HandoffLedger(db);
            Assert.Equal(RotationCount * 3, rows.Count);
            foreach (var rotation in rotations)
            {
                var mine = rows.Where(r => r.RotationId == rotation).ToList();
                Assert.Equal(["b1", "b2", "slack:C0CLUSTER01"], mine.Select(r => r.Recipient).Order());
                Assert.All(mine, r => Assert.True(r.ClaimedAt >= handoff, $"{rotation} announced at {r.ClaimedAt:O}, before {handoff:O}"));
            }
            Report("handoff announcements (from the handoff instant)", rows.Select(r => r.ClaimedAt - handoff));
            Assert.True(rows.Max(r => r.ClaimedAt) - handoff < WorstLatenessAllowed, "A handoff was announced too late.");
        }
        var announced = HandoffAnnouncements();
        var repeated = announced.GroupBy(a => a.NotificationId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(repeated.Count == 0, "Announcements sent more than once: " + string.Join("; ", repeated));
        Assert.Equal(RotationCount * 3, announced.Count);
        Assert.DoesNotContain(announced, a => a.Silo == victim.Name);
        Say($"Handoffs announced by: {string.Join(", ", announced.GroupBy(a => a.Silo).Select(g => $"{g.Key}={g.Count()}"))}");
        // The ledger would hide a handoff decided twice; the grains' own handoff lines do not.
        var decided = _silos.SelectMany(silo => silo.Lines()).Count(line => line.Contains("rotation.handoff rotation="));
        Assert.Equal(RotationCount, decided);
        var scheduledOnVictim = victim.Lines().Count(line => line.Contains("rotation.scheduled rotation="));
        Say($"{scheduledOnVictim} of {RotationCount} rotations were scheduled on the killed silo; their handoffs were announced by the survivors");
    }

    private sealed record Announced(string NotificationId, string RotationId, string Silo);

    /// <summary>Every handoff <c>announcement.sent</c> line of every process.</summary>
    private List<Announced> HandoffAnnouncements() =>
        _silos.SelectMany(silo => silo.Lines()
                .Select(line => AnnouncementSentLine().Match(line))
                .Where(m => m.Success && m.Groups[3].Value == "handoff")
                .Select(m => new Announced(m.Groups[1].Value, m.Groups[2].Value, silo.Name)))
            .ToList();

    private static async Task<List<(string RotationId, string Recipient, DateTimeOffset ClaimedAt)>> HandoffLedger(NpgsqlDataSource db)
    {
        await using var cmd = db.CreateCommand(
            "SELECT rotation_id, user_id, claimed_at FROM notification_deliveries WHERE rotation_id IS NOT NULL AND notification_id LIKE '%/handoff/%'");
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<(string, string, DateTimeOffset)>();
        while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
        return rows;
    }

    [GeneratedRegex(@"announcement\.sent notification=(\S+) rotation=(\S+) kind=(\S+)")]
    private static partial Regex AnnouncementSentLine();

    private sealed record NotificationSeen(string Id, int Level, string UserId, string Status, DateTimeOffset CreatedAt);

    private async Task<List<NotificationSeen>> Notifications(SiloProcess silo, string incidentId)
    {
        var list = await Call(silo, HttpMethod.Get, $"/api/v1/incidents/{incidentId}/notifications");
        return list.EnumerateArray().Select(n => new NotificationSeen(
            n.GetProperty("id").GetString()!,
            n.GetProperty("level").GetInt32(),
            n.GetProperty("user_id").GetString()!,
            n.GetProperty("status").GetString()!,
            n.GetProperty("created_at").GetDateTimeOffset())).ToList();
    }

    /// <summary>Every <c>page.sent</c> line of every process, the killed one's included.</summary>
    private List<Page> SentPages()
    {
        var pages = new List<Page>();
        foreach (var silo in _silos)
        {
            foreach (var line in silo.Lines())
            {
                if (PageSentLine().Match(line) is not { Success: true } m) continue;
                var notificationId = m.Groups[1].Value;
                // <incident>/<cycle>.<level>.<loop>/<user>/<channel>
                var position = notificationId.Split('/')[1].Split('.');
                pages.Add(new Page(notificationId, m.Groups[2].Value, int.Parse(position[1]), silo.Name));
            }
        }
        return pages;
    }

    [GeneratedRegex(@"page\.sent notification=(\S+) incident=(\S+)")]
    private static partial Regex PageSentLine();

    private async Task WaitUntilReady(SiloProcess silo)
    {
        await silo.WaitUntilReady(TimeSpan.FromMinutes(3));
        Say($"{silo.Name} is ready");
    }

    private static Task<JsonElement> Call(SiloProcess silo, HttpMethod method, string path, object? body = null,
        bool authenticated = true, HttpStatusCode? expected = null) =>
        silo.Call(method, path, body, authenticated ? AdminKey : null, expected);

    /// <summary>Polls until <paramref name="done"/>; a failed request (the cluster is reconfiguring) is tried again.</summary>
    private async Task Until(string what, TimeSpan timeout, Func<Task<bool>> done)
    {
        var started = _elapsed.Elapsed;
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await done())
                {
                    Say($"Waited {(_elapsed.Elapsed - started).TotalSeconds:F1} s for {what}");
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                if (last?.Message != e.Message) Say($"(retrying) {e.Message}");
                last = e;
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds} s waiting for {what}.{(last is null ? "" : $" Last error: {last.Message}")}");
            await Task.Delay(500);
        }
    }

    private void Report(string what, IEnumerable<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            Say($"Lateness, {what}: no incidents");
            return;
        }
        var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        Say($"Lateness, {what} ({sorted.Count}): median {median.TotalMilliseconds:F0} ms, worst {sorted[^1].TotalMilliseconds:F0} ms, best {sorted[0].TotalMilliseconds:F0} ms");
    }

    private void Say(string message)
    {
        var line = $"[{_elapsed.Elapsed.TotalSeconds,6:F1}s] {message}";
        output.WriteLine(line);
        Console.WriteLine(line);
    }

    private static string SafePid(SiloProcess silo)
    {
        try
        {
            return silo.Id.ToString();
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    internal static string SiloDll() => SiloProcess.SiloDll();

    public void Dispose()
    {
        foreach (var silo in _silos)
        {
            try
            {
                silo.Dispose();
            }
            catch (Exception e)
            {
                output.WriteLine($"Could not stop {silo.Name}: {e.Message}");
            }
        }
        // ESCALATION_KEEP_CLUSTER_LOGS=1 keeps the silo logs of a passing run too.
        if (_passed && _logDirectory is not null && Environment.GetEnvironmentVariable("ESCALATION_KEEP_CLUSTER_LOGS") != "1")
        {
            try
            {
                Directory.Delete(_logDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
