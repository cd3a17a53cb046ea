using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Escalation.Api.Auth;
using Escalation.Storage.Auth;
using Microsoft.AspNetCore.Http;

namespace Escalation.Tests.Api;

/// <summary>
/// Unknown API keys, routing keys and calendar tokens, tried from one client address (each test its own), cost a
/// database query only the first time, and past 20 a minute are answered 429.
/// </summary>
public sealed class FailedAuthenticationApiTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private const int Allowed = 20;

    [Fact]
    public async Task Unknown_api_keys_from_one_address_are_answered_429_with_retry_after()
    {
        for (var i = 0; i < Allowed; i++)
            Assert.Equal(401, (await Send("203.0.113.1", "GET", "/api/v1/users", bearer: $"esk_guess_{i}")).Status);

        var throttled = await Send("203.0.113.1", "GET", "/api/v1/users", bearer: "esk_guess_more");
        AssertTooManyRequests(throttled);
        Assert.Equal(200, (await Send("203.0.113.2", "GET", "/api/v1/users", bearer: EscalationApp.AdminKey)).Status);
    }

    [Fact]
    public async Task Unknown_routing_keys_from_one_address_are_answered_429_with_retry_after()
    {
        for (var i = 0; i < Allowed; i++)
        {
            var rejected = await Send("203.0.113.11", "POST", "/v2/enqueue", json: Event($"{i:d32}"));
            Assert.Equal(400, rejected.Status);
            Assert.Contains("Invalid routing key", rejected.Body);
        }

        AssertTooManyRequests(await Send("203.0.113.11", "POST", "/v2/enqueue", json: Event(new string('f', 32))));
        Assert.Equal(202, (await Send("203.0.113.12", "POST", "/v2/enqueue", json: Event(fixture.RoutingKey))).Status);
    }

    [Fact]
    public async Task Unknown_calendar_tokens_from_one_address_are_answered_429_with_retry_after()
    {
        await fixture.App.Client().PutJson("/api/v1/rotations/fa-cal", new
        {
            name = "Cal", time_zone = "UTC", type = "daily", shift_length = 1, start = "2026-01-01T00:00:00+00:00", participants = new[] { "oncall" },
        }).Ok();
        var url = (await fixture.App.Client().PostAsync("/api/v1/rotations/fa-cal/calendar-feeds", null).Ok()).Str("url");
        var path = new Uri(url).PathAndQuery;

        for (var i = 0; i < Allowed; i++)
            Assert.Equal(401, (await Send("203.0.113.21", "GET", $"/api/v1/rotations/fa-cal/calendar.ics?token=ecal_guess_{i}")).Status);

        AssertTooManyRequests(await Send("203.0.113.21", "GET", "/api/v1/rotations/fa-cal/calendar.ics?token=ecal_guess_more"));
        Assert.Equal(200, (await Send("203.0.113.22", "GET", path)).Status);
    }

    [Fact]
    public async Task A_repeated_unknown_key_is_answered_from_memory_and_a_service_write_forgets_it()
    {
        var routingKey = Guid.NewGuid().ToString("N");
        Assert.Equal(400, (await Send("203.0.113.31", "POST", "/v2/enqueue", json: Event(routingKey))).Status);

        // Made valid behind the service's back: within the 30 seconds the key is still answered from memory.
        var secret = $"esk_{Guid.NewGuid():N}";
        Assert.Equal(401, (await Send("203.0.113.31", "GET", "/api/v1/users", bearer: secret)).Status);
        await using (var db = Npgsql.NpgsqlDataSource.Create(fixture.App.ConnectionString))
        await using (var insert = db.CreateCommand("INSERT INTO api_keys (id, name, role, key_hash, created_at) VALUES ($1, 'planted', 'admin', $2, now())"))
        {
            insert.Parameters.AddWithValue($"key_{Guid.NewGuid():N}");
            insert.Parameters.AddWithValue(ApiKeyStore.Hash(secret));
            await insert.ExecuteNonQueryAsync();
        }
        Assert.Equal(401, (await Send("203.0.113.31", "GET", "/api/v1/users", bearer: secret)).Status);

        // Through the API, giving a service the routing key makes it work at once.
        await fixture.App.Client().PutJson("/api/v1/services/fa-late", new { name = "Late", escalation_policy_id = "default", integration_key = routingKey }).Ok();
        Assert.Equal(202, (await Send("203.0.113.31", "POST", "/v2/enqueue", json: Event(routingKey))).Status);
    }

    private static void AssertTooManyRequests((int Status, string Body, IHeaderDictionary Headers) response)
    {
        Assert.Equal(429, response.Status);
        Assert.Equal("60", response.Headers.RetryAfter.ToString());
        Assert.StartsWith("application/problem+json", response.Headers.ContentType.ToString());
        Assert.Equal(429, JsonNode.Parse(response.Body)!["status"]!.GetValue<int>());
    }

    private static string Event(string routingKey) => new JsonObject
    {
        ["routing_key"] = routingKey,
        ["event_action"] = "trigger",
        ["payload"] = new JsonObject { ["summary"] = "Failed auth test", ["source"] = "test", ["severity"] = "info" },
    }.ToJsonString();

    /// <summary>One request from the given client address, through the test server.</summary>
    private async Task<(int Status, string Body, IHeaderDictionary Headers)> Send(string address, string method, string pathAndQuery, string? bearer = null, string? json = null)
    {
        var uri = new Uri("http://localhost" + pathAndQuery);
        var context = await fixture.App.Server.SendAsync(c =>
        {
            c.Connection.RemoteIpAddress = IPAddress.Parse(address);
            c.Request.Method = method;
            c.Request.Path = uri.AbsolutePath;
            c.Request.QueryString = new QueryString(uri.Query);
            if (bearer is not null) c.Request.Headers.Authorization = $"Bearer {bearer}";
            if (json is not null)
            {
                var bytes = Encoding.UTF8.GetBytes(json);
                c.Request.ContentType = "application/json";
                c.Request.ContentLength = bytes.Length;
                c.Request.Body = new MemoryStream(bytes);
            }
        });
        using var reader = new StreamReader(context.Response.Body);
        return (context.Response.StatusCode, await reader.ReadToEndAsync(), context.Response.Headers);
    }
}
