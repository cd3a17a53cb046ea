using Escalation.Api.Http;
using Escalation.Configuration;
using Escalation.Storage.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Escalation.Api.Configuration;

public sealed record TeamBody(string? Name, List<string>? Members);

public static class TeamEndpoints
{
    /// <summary>A team target pages every member at once: beyond this, it is a broadcast, not an escalation.</summary>
    public const int MaxMembers = 100;

    public static void MapTeams(this RouteGroupBuilder api) =>
        api.MapResource<TeamBody, Team>("/teams", ConfigurationStore.Tables.Teams, "team", Build);

    private static async Task<(Team?, IResult?)> Build(string id, TeamBody body, ConfigurationStore store)
    {
        var v = new Validator();
        v.Require("name", body.Name);
        if (body.Members is null) v.Add("members", "'members' is required: a list of user ids (it may be empty).");
        else if (body.Members.Count > MaxMembers) v.Add("members", $"'members' may list at most {MaxMembers} user ids (the team size limit).");
        else if (body.Members.Any(string.IsNullOrWhiteSpace)) v.Add("members", "'members' must hold user ids, not nulls or blanks.");
        if (!v.IsValid) return (null, Problems.Validation(v.Errors));

        var members = body.Members!.Distinct().ToList();
        var missing = await store.Missing(ConfigurationStore.Tables.Users, members);
        return missing.Count > 0 ? (null, Problems.MissingReferences(missing.Select(id => ("user", id)).ToList())) : (new Team(id, body.Name!, members), null);
    }
}
