using Escalation.Api.Http;
using Escalation.Configuration;
using Escalation.Json;
using Escalation.Storage.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Escalation.Api.Configuration;

public sealed record EscalationPolicyBody(string? Name, int? Repeat, List<LevelBody>? Levels);

public sealed record LevelBody(string? EscalateAfter, List<TargetBody>? Targets);

public sealed record TargetBody(string? Type, string? Id);

public static class EscalationPolicyEndpoints
{
    private const int MaxRepeat = 9;
    public const int MaxLevels = 20;
    /// <summary>As PagerDuty allows on one escalation rule.</summary>
    public const int MaxTargetsPerLevel = 10;

    public static void MapEscalationPolicies(this RouteGroupBuilder api) =>
        api.MapResource<EscalationPolicyBody, EscalationPolicy>(
            "/escalation-policies", ConfigurationStore.Tables.Policies, "escalation policy", Build);

    private static async Task<(EscalationPolicy?, IResult?)> Build(string id, EscalationPolicyBody body, ConfigurationStore store)
    {
        var v = new Validator();
        v.Require("name", body.Name);
        var repeat = body.Repeat ?? 0;
        if (repeat is < 0 or > MaxRepeat) v.Add("repeat", $"'repeat' must be between 0 and {MaxRepeat}.");
        if (body.Levels is not { Count: > 0 and <= MaxLevels })
            v.Add("levels", $"'levels' must hold between 1 and {MaxLevels} levels (the levels per policy limit).");
        if (!v.IsValid) return (null, Problems.Validation(v.Errors));

        var levels = new List<EscalationLevel>();
        for (var i = 0; i < body.Levels!.Count; i++)
        {
            var level = body.Levels[i];
            var at = $"levels[{i}]";
            if (level is null)
            {
                v.Add(at, $"'{at}' must be a level, not null.");
                continue;
            }
            if (!IsoDuration.TryParse(level.EscalateAfter, out var after) || after < TimeSpan.FromSeconds(1) || after > IsoDuration.Longest)
                v.Add($"{at}.escalate_after", $"'{at}.escalate_after' must be an ISO-8601 duration from one second to seven days, such as \"PT15M\".");
            if (level.Targets is not { Count: > 0 and <= MaxTargetsPerLevel })
            {
                v.Add($"{at}.targets", $"'{at}.targets' must name between 1 and {MaxTargetsPerLevel} users, teams or rotations (the targets per level limit).");
                continue;
            }
            var targets = new List<EscalationTarget>();
            for (var j = 0; j < level.Targets.Count; j++)
            {
                var target = level.Targets[j];
                if (target is null)
                {
                    v.Add($"{at}.targets[{j}]", $"'{at}.targets[{j}]' must be a target, not null.");
                    continue;
                }
                var type = target.Type switch
                {
                    "user" => TargetType.User,
                    "team" => TargetType.Team,
                    "rotation" => TargetType.Rotation,
                    _ => (TargetType?)null,
                };
                if (type is null) v.Add($"{at}.targets[{j}].type", $"'{at}.targets[{j}].type' must be \"user\", \"team\" or \"rotation\".");
                if (string.IsNullOrWhiteSpace(target.Id)) v.Add($"{at}.targets[{j}].id", $"'{at}.targets[{j}].id' is required.");
                if (type is { } t && !string.IsNullOrWhiteSpace(target.Id)) targets.Add(new EscalationTarget(t, target.Id));
            }
            levels.Add(new EscalationLevel(after, targets));
        }
        if (!v.IsValid) return (null, Problems.Validation(v.Errors));

        var targetsOf = (TargetType type) => levels.SelectMany(l => l.Targets).Where(t => t.Type == type).Select(t => t.Id);
        var missing = (await store.Missing(ConfigurationStore.Tables.Users, targetsOf(TargetType.User))).Select(id => ("user", id))
            .Concat((await store.Missing(ConfigurationStore.Tables.Teams, targetsOf(TargetType.Team))).Select(id => ("team", id)))
            .Concat((await store.Missing(ConfigurationStore.Tables.Rotations, targetsOf(TargetType.Rotation))).Select(id => ("rotation", id)))
            .ToList();
        if (missing.Count > 0) return (null, Problems.MissingReferences(missing));

        return (new EscalationPolicy(id, body.Name!, repeat, levels), null);
    }
}
