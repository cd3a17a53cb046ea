using Escalation.Api.Http;
using Escalation.Json;
using Escalation.Practice;
using Escalation.Routing;

namespace Escalation.Api.Configuration;

/// <summary>A priority's targets as ISO-8601 durations; a priority given with neither has no targets.</summary>
public sealed record ResponseTargetBody(string? Acknowledge, string? Resolve);

public sealed record ResponseTargetsBody(ResponseTargetBody? P1, ResponseTargetBody? P2, ResponseTargetBody? P3, ResponseTargetBody? P4);

public sealed record StatusUpdatesBody(List<string?>? Priorities, string? Every);

public sealed record AcknowledgementSloBody(string? Priority, double? Objective, string? Within, string? Window, int? MinEvents);

/// <summary>A service's response targets and status-update cadence, read from the body with every error named by its field.</summary>
public static class PracticeValidation
{
    private static readonly TimeSpan Shortest = TimeSpan.FromMinutes(1);

    public static ResponseTargets? Targets(Validator v, ResponseTargetsBody? body)
    {
        if (body is null) return null;
        return new ResponseTargets(
            Target(v, "response_targets.p1", body.P1),
            Target(v, "response_targets.p2", body.P2),
            Target(v, "response_targets.p3", body.P3),
            Target(v, "response_targets.p4", body.P4));
    }

    private static ResponseTarget? Target(Validator v, string field, ResponseTargetBody? body)
    {
        if (body is null) return null;
        var acknowledge = Duration(v, $"{field}.acknowledge", body.Acknowledge, IsoDuration.Longest);
        var resolve = Duration(v, $"{field}.resolve", body.Resolve, IsoDuration.Longest);
        if (acknowledge > resolve)
            v.Add($"{field}.resolve", $"'{field}.resolve' must be at least '{field}.acknowledge': an incident is answered before it recovers.");
        return new ResponseTarget(acknowledge, resolve);
    }

    public static StatusUpdatePolicy? StatusUpdates(Validator v, StatusUpdatesBody? body)
    {
        if (body is null) return null;
        var priorities = new List<Priority>();
        var given = body.Priorities ?? ["P1"];
        for (var i = 0; i < given.Count; i++)
        {
            if (PriorityNames.Parse(given[i]) is { } priority) priorities.Add(priority);
            else v.Add($"status_updates.priorities[{i}]", $"'status_updates.priorities[{i}]' must be P1, P2, P3 or P4.");
        }
        var every = Duration(v, "status_updates.every", body.Every, TimeSpan.FromDays(1));
        return new StatusUpdatePolicy([.. priorities.Distinct().Order()], every);
    }

    public static AcknowledgementSlo? Slo(Validator v, AcknowledgementSloBody? body)
    {
        if (body is null) return null;
        const string field = "acknowledgement_slo";
        var priority = PriorityNames.Parse(body.Priority ?? "P1");
        if (priority is null) v.Add($"{field}.priority", $"'{field}.priority' must be P1, P2, P3 or P4.");
        if (body.Objective is not (>= 0.5 and < 1))
            v.Add($"{field}.objective", $"'{field}.objective' is required: the share answered in time, from 0.5 to below 1, such as 0.99.");
        var within = Duration(v, $"{field}.within", body.Within ?? "PT15M", IsoDuration.Longest);
        var window = Duration(v, $"{field}.window", body.Window ?? "P30D", TimeSpan.FromDays(90));
        if (window is { } w && w < TimeSpan.FromDays(1)) v.Add($"{field}.window", $"'{field}.window' must be at least a day (P1D), such as P30D.");
        if (body.MinEvents is < 1 or > 10_000) v.Add($"{field}.min_events", $"'{field}.min_events' must be from 1 to 10000.");
        return priority is null || body.Objective is null || within is null || window is null ? null
            : new AcknowledgementSlo(priority.Value, body.Objective.Value, within.Value, window.Value, body.MinEvents ?? AcknowledgementSlo.DefaultMinEvents);
    }

    private static TimeSpan? Duration(Validator v, string field, string? text, TimeSpan longest) => v.Duration(field, text, Shortest, longest);
}
