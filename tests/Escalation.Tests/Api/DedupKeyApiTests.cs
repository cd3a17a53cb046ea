using System.Net;
using System.Text.Json.Nodes;

namespace Escalation.Tests.Api;

/// <summary>
/// Any dedup key the Events API allows works on every path: Orleans' ADO.NET storage once failed every write of
/// a grain whose key held a brace, so Alertmanager's group keys were answered 500 for ever.
/// </summary>
public sealed class DedupKeyApiTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _sender = fixture.App.Client(key: null);
    private readonly HttpClient _admin = fixture.App.Client();

    public static TheoryData<string> OddKeys => new()
    {
        "{}:{alertname=\"HighErrorRate\"}",
        "{",
        "}",
        "{0}",
        "%7B",
        "%{%7D}",
        "quotes \" and ' and \\ and / and | and {x}",
        "日本語のアラート 🚨 {ホスト}",
        "  spaces\tand\nlines  {}",
        new string('{', 255),
        new string('}', 200) + new string('%', 55),
    };

    [Theory]
    [MemberData(nameof(OddKeys))]
    public async Task An_event_key_triggers_dedups_acknowledges_and_resolves(string key)
    {
        var accepted = await _sender.PostJson("/v2/enqueue", OnCallApi.Trigger(fixture.RoutingKey, key)).Ok();
        Assert.Equal(key, accepted.Str("dedup_key"));
        await _sender.PostJson("/v2/enqueue", OnCallApi.Trigger(fixture.RoutingKey, key, "Still failing")).Ok();

        var incident = Assert.Single(await Open(key));
        Assert.Equal(2, incident["alert_count"]!.GetValue<int>());

        await _sender.PostJson("/v2/enqueue", new { routing_key = fixture.RoutingKey, event_action = "acknowledge", dedup_key = key }).Ok();
        Assert.Equal("acknowledged", (await Incident(incident.Str("id"))).Str("status"));
        await _sender.PostJson("/v2/enqueue", new { routing_key = fixture.RoutingKey, event_action = "resolve", dedup_key = key }).Ok();
        Assert.Equal("resolved", (await Incident(incident.Str("id"))).Str("status"));
        Assert.Empty(await Open(key));
    }

    [Theory]
    [MemberData(nameof(OddKeys))]
    public async Task An_api_key_creates_once_and_then_adds_to_the_incident(string key)
    {
        var body = new { service_id = "api", title = "Checkout is failing", dedup_key = key };
        var created = await _admin.PostAsync("/api/v1/incidents", JsonContent(body));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var first = await created.Json();
        var again = await _admin.PostJson("/api/v1/incidents", body).Ok();
        Assert.Equal(first.Str("id"), again.Str("id"));
        Assert.Equal(2, again["alert_count"]!.GetValue<int>());
        Assert.Equal(key, again.Str("dedup_key"));
        await _admin.PostJson($"/api/v1/incidents/{first.Str("id")}/resolve", new { by = "oncall" }).Ok();
    }

    [Fact]
    public async Task Keys_that_differ_only_in_their_escapes_are_different_incidents()
    {
        string[] keys = ["{x}", "%7Bx%7D", "%{x}", "%%7Bx%7D"];
        foreach (var key in keys) await _sender.PostJson("/v2/enqueue", OnCallApi.Trigger(fixture.RoutingKey, key)).Ok();

        var ids = new List<string>();
        foreach (var key in keys) ids.Add(Assert.Single(await Open(key)).Str("id"));
        Assert.Equal(keys.Length, ids.Distinct().Count());
    }

    private async Task<List<JsonNode>> Open(string dedupKey)
    {
        var list = await _admin.GetAsync("/api/v1/incidents?status=triggered,acknowledged&limit=100").Ok();
        return list["incidents"]!.AsArray().Where(i => i!.Str("dedup_key") == dedupKey).Select(i => i!).ToList();
    }

    private Task<JsonNode> Incident(string id) => _admin.GetAsync($"/api/v1/incidents/{id}").Ok();

    private static HttpContent JsonContent(object body) =>
        System.Net.Http.Json.JsonContent.Create(body, options: Escalation.Json.EscalationJson.Options);
}
