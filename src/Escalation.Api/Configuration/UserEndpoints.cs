using Escalation.Api.Auth;
using Escalation.Api.Calendars;
using Escalation.Api.Http;
using Escalation.Configuration;
using Escalation.Rotations;
using Escalation.Storage.Auth;
using Escalation.Storage.Calendars;
using Escalation.Storage.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Api.Configuration;

public sealed record UserBody(string? Name, string? Email, string? Phone, string? SlackUserId, string? TimeZone, List<NotificationRuleBody?>? NotificationRules);

public sealed record NotificationRuleBody(string? Channel, string? After, string? Urgency);

public static class UserEndpoints
{
    public static void MapUsers(this RouteGroupBuilder api) =>
        api.MapResource<UserBody, User>("/users", ConfigurationStore.Tables.Users, "user", Build, new ResourceHooks
        {
            ReferencesElsewhere = OverridesNaming,
            Deleted = async (id, services) =>
            {
                await services.GetRequiredService<CalendarFeedStore>().DeleteFor(CalendarFeedStore.UserFeed, id);
                // A later user of the same id is someone else: the keys that acted as this one go with them.
                await services.GetRequiredService<ApiKeyStore>().DeleteFor(id);
            },
        });

    /// <summary>Overrides and swap requests live in the rotation grains, not in the tables: ask each rotation.</summary>
    private static async Task<IReadOnlyList<string>> OverridesNaming(string userId, IServiceProvider services)
    {
        var rotations = await services.GetRequiredService<ConfigurationStore>().List<Rotation>(ConfigurationStore.Tables.Rotations);
        var grains = services.GetRequiredService<IGrainFactory>();
        var mentions = await Task.WhenAll(rotations.Select(r => grains.GetGrain<IRotationGrain>(RotationKeys.For(r.Id)).Mentions(userId)));
        return mentions.SelectMany(m => m).ToList();
    }

    private static Task<(User?, IResult?)> Build(string id, UserBody body, ConfigurationStore store)
    {
        var v = new Validator();
        v.Require("name", body.Name);
        v.Email("email", body.Email);
        v.Phone("phone", body.Phone);
        v.TimeZone("time_zone", body.TimeZone);
        if (body.SlackUserId is { Length: 0 or > 32 }) v.Add("slack_user_id", "'slack_user_id' must be a Slack user id such as U012AB3CD.");
        var rules = NotificationRuleValidation.Read(v, body.NotificationRules);
        if (!v.IsValid) return Task.FromResult<(User?, IResult?)>((null, Problems.Validation(v.Errors)));

        var user = new User(id, body.Name!, body.Email, body.Phone, body.SlackUserId, body.TimeZone!, rules);
        var unreachable = rules.Where(r => user.AddressFor(r.Channel) is null).Select(r => r.Channel).Distinct().ToList();
        return Task.FromResult<(User?, IResult?)>(unreachable.Count == 0
            ? (user, null)
            : (null, NotificationRuleValidation.NoAddress(unreachable)));
    }
}
