using System.Net;

namespace Escalation.Tests.Api;

public sealed class AuthApiTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Calls_without_a_key_are_401_problems()
    {
        var response = await fixture.App.Client(key: null).GetAsync("/api/v1/incidents");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task A_wrong_key_is_401()
    {
        var problem = await fixture.App.Client("esk_not_a_real_key").GetAsync("/api/v1/users").Problem(401);
        Assert.Contains("not valid", problem.Str("detail"));
    }

    [Fact]
    public async Task A_responder_reads_and_acknowledges_but_may_not_configure()
    {
        var created = await fixture.App.Client().PostJson("/api/v1/api-keys", new { name = "pager bot", role = "responder" }).Ok();
        var responder = fixture.App.Client(created.Str("key"));

        await responder.GetAsync("/api/v1/users").Ok();
        await responder.PutJson("/api/v1/users/mallory", new { name = "M", time_zone = "UTC" }).Problem(403);
        await responder.PostJson("/api/v1/api-keys", new { name = "more", role = "admin" }).Problem(403);

        var incident = await responder.PostJson("/api/v1/incidents", new { service_id = "api", title = "Manual page" }).Ok();
        var acked = await responder.PostJson($"/api/v1/incidents/{incident.Str("id")}/acknowledge", new { }).Ok();
        Assert.Equal("pager bot", acked.Str("acknowledged_by"));
    }

    [Fact]
    public async Task A_key_bound_to_a_user_acts_as_that_user_only()
    {
        var admin = fixture.App.Client();
        var created = await admin.PostJson("/api/v1/api-keys", new { name = "oncall's laptop", role = "responder", user_id = "oncall" }).Ok();
        Assert.Equal("oncall", created.Str("user_id"));
        Assert.Contains((await admin.GetAsync("/api/v1/api-keys").Ok()).AsArray(), k => k!.Str("id") == created.Str("id") && k!.Str("user_id") == "oncall");
        var oncall = fixture.App.Client(created.Str("key"));

        var opened = await oncall.PostJson("/api/v1/incidents", new { service_id = "api", title = "Bound key" }).Ok();
        Assert.Equal("oncall", opened["timeline"]!.AsArray()[0]!.Str("actor"));
        var id = opened.Str("id");
        var impersonating = await oncall.PostJson($"/api/v1/incidents/{id}/acknowledge", new { by = "boss" }).Problem(403);
        Assert.Contains("acts as user 'oncall'", impersonating.Str("detail"));
        await oncall.PostJson($"/api/v1/incidents/{id}/escalate", new { by = "boss" }).Problem(403);
        await oncall.PostJson($"/api/v1/incidents/{id}/resolve", new { by = "boss" }).Problem(403);
        Assert.Equal("triggered", (await admin.GetAsync($"/api/v1/incidents/{id}").Ok()).Str("status"));

        Assert.Equal("oncall", (await oncall.PostJson($"/api/v1/incidents/{id}/acknowledge", new { }).Ok()).Str("acknowledged_by"));
        Assert.Equal("oncall", (await oncall.PostJson($"/api/v1/incidents/{id}/resolve", new { by = "oncall" }).Ok()).Str("resolved_by"));
    }

    [Fact]
    public async Task Only_an_admin_key_bound_to_nobody_names_who_acts()
    {
        var admin = fixture.App.Client();
        var responder = fixture.App.Client((await admin.PostJson("/api/v1/api-keys", new { name = "chat bot", role = "responder" }).Ok()).Str("key"));
        var id = (await admin.PostJson("/api/v1/incidents", new { service_id = "api", title = "Who acts" }).Ok()).Str("id");

        var named = await responder.PostJson($"/api/v1/incidents/{id}/acknowledge", new { by = "boss" }).Problem(403);
        Assert.Contains("only an admin key may name someone else", named.Str("detail"));
        Assert.Equal("chat bot", (await responder.PostJson($"/api/v1/incidents/{id}/acknowledge", new { by = "chat bot" }).Ok()).Str("acknowledged_by"));
        Assert.Equal("boss", (await admin.PostJson($"/api/v1/incidents/{id}/resolve", new { by = "boss" }).Ok()).Str("resolved_by"));
    }

    [Fact]
    public async Task A_key_is_bound_only_to_a_user_that_exists_and_goes_with_them()
    {
        var admin = fixture.App.Client();
        var missing = await admin.PostJson("/api/v1/api-keys", new { name = "ghost", role = "responder", user_id = "no-such-user" }).Problem(422);
        Assert.Contains("user 'no-such-user'", missing.Str("detail"));
        var malformed = await admin.PostJson("/api/v1/api-keys", new { name = "bad", role = "responder", user_id = "Not An Id" }).Problem(400);
        Assert.NotNull(malformed["errors"]!["user_id"]);

        await admin.PutJson("/api/v1/users/leaver", new { name = "Leaver", time_zone = "UTC" }).Ok();
        var key = (await admin.PostJson("/api/v1/api-keys", new { name = "leaver's key", role = "admin", user_id = "leaver" }).Ok()).Str("key");
        await fixture.App.Client(key).GetAsync("/api/v1/users").Ok();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/v1/users/leaver")).StatusCode);
        await fixture.App.Client(key).GetAsync("/api/v1/users").Problem(401);
    }

    [Fact]
    public async Task Only_admins_see_routing_keys()
    {
        var created = await fixture.App.Client().PostJson("/api/v1/api-keys", new { name = "reader", role = "responder" }).Ok();
        var responder = fixture.App.Client(created.Str("key"));

        var one = await responder.GetAsync("/api/v1/services/api").Ok();
        Assert.Equal("api", one.Str("id"));
        Assert.Equal("default", one.Str("escalation_policy_id"));
        Assert.False(one.AsObject().ContainsKey("integration_key"));
        var all = await responder.GetAsync("/api/v1/services").Ok();
        Assert.Contains(all.AsArray(), s => s!.Str("id") == "api");
        Assert.DoesNotContain(fixture.RoutingKey, all.ToJsonString());
        Assert.DoesNotContain(fixture.RoutingKey, one.ToJsonString());

        Assert.Equal(fixture.RoutingKey, (await fixture.App.Client().GetAsync("/api/v1/services/api").Ok()).Str("integration_key"));
        Assert.Contains(fixture.RoutingKey, (await fixture.App.Client().GetAsync("/api/v1/services").Ok()).ToJsonString());
    }

    [Fact]
    public async Task Keys_are_stored_hashed_and_deleted_keys_stop_working()
    {
        var admin = fixture.App.Client();
        var created = await admin.PostJson("/api/v1/api-keys", new { name = "temp", role = "responder" }).Ok();
        var secret = created.Str("key");

        await using (var db = Npgsql.NpgsqlDataSource.Create(fixture.App.ConnectionString))
        await using (var cmd = db.CreateCommand("SELECT count(*) FROM api_keys WHERE key_hash = $1 OR key_hash LIKE '%' || $1 || '%'"))
        {
            cmd.Parameters.AddWithValue(secret);
            Assert.Equal(0L, await cmd.ExecuteScalarAsync());
        }
        var listed = await admin.GetAsync("/api/v1/api-keys").Ok();
        Assert.DoesNotContain(secret, listed.ToJsonString());

        await fixture.App.Client(secret).GetAsync("/api/v1/users").Ok();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/api-keys/{created.Str("id")}")).StatusCode);
        await fixture.App.Client(secret).GetAsync("/api/v1/users").Problem(401);
    }

    [Fact]
    public async Task Health_and_openapi_need_no_key()
    {
        var client = fixture.App.Client(key: null);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        var openApi = await client.GetAsync("/openapi/v1.json").Ok();
        Assert.NotNull(openApi["paths"]!["/v2/enqueue"]);
    }
}
