using Escalation.Api.Http;
using Escalation.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Escalation.Api.Configuration;

public sealed record UserBody(string? Name, string? Email, string? Phone, string? SlackUserId, string? TimeZone);

public static class UserEndpoints
{
    public static void MapUsers(this RouteGroupBuilder api) =>
        api.MapResource<UserBody, User>("/users", ConfigurationStore.Tables.Users, "user", Build);

    private static Task<(User?, IResult?)> Build(string id, UserBody body, ConfigurationStore store)
    {
        var v = new Validator();
        v.Require("name", body.Name);
        v.Email("email", body.Email);
        v.Phone("phone", body.Phone);
        v.TimeZone("time_zone", body.TimeZone);
        if (body.SlackUserId is { Length: 0 or > 32 }) v.Add("slack_user_id", "'slack_user_id' must be a Slack user id such as U012AB3CD.");
        return Task.FromResult<(User?, IResult?)>(v.IsValid
            ? (new User(id, body.Name!, body.Email, body.Phone, body.SlackUserId, body.TimeZone!), null)
            : (null, Problems.Validation(v.Errors)));
    }
}
