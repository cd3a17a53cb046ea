using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Escalation.Json;
using Escalation.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Escalation.Tests.Api;

/// <summary>The whole service (silo, bus, API) in-process on its own PostgreSQL database, called over HTTP.</summary>
public sealed class EscalationApp : WebApplicationFactory<Program>
{
    public const string AdminKey = "esk_test_admin_key_for_the_api_tests_only";

    private readonly IReadOnlyDictionary<string, string?> _settings;

    private EscalationApp(string connectionString, IReadOnlyDictionary<string, string?>? settings, bool onRealPort = false)
    {
        if (onRealPort) UseKestrel(0);
        ConnectionString = connectionString;
        _settings = settings ?? new Dictionary<string, string?>();
    }

    public string ConnectionString { get; }

    /// <summary>Starts the service; <paramref name="settings"/> are configuration on top of the tests' defaults.</summary>
    public static async Task<EscalationApp> StartAsync(string? connectionString = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var app = new EscalationApp(connectionString ?? await TestPostgres.CreateDatabase(), settings);
        using var _ = app.CreateClient();
        return app;
    }

    /// <summary>Starts the service listening on a free port of 127.0.0.1, for a real tool outside the process to call.</summary>
    public static async Task<EscalationApp> StartOnRealPortAsync()
    {
        var app = new EscalationApp(await TestPostgres.CreateDatabase(), null, onRealPort: true);
        app.StartServer();
        return app;
    }

    /// <summary>Where the service listens when started on a real port.</summary>
    public Uri ListeningAt => ClientOptions.BaseAddress;

    /// <summary>A second instance on the same database: the same service after a restart.</summary>
    public Task<EscalationApp> RestartOnSameDatabase() => StartAsync(ConnectionString, _settings);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Escalation", ConnectionString);
        builder.UseSetting("Escalation:Silo:Port", "0");
        builder.UseSetting("Escalation:Auth:BootstrapAdminKey", AdminKey);
        builder.UseSetting("Escalation:Demo:Enabled", "false");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    public HttpClient Client(string? key = AdminKey)
    {
        var client = CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}

public static class HttpJson
{
    public static Task<HttpResponseMessage> PutJson(this HttpClient client, string url, object body) =>
        client.PutAsync(url, JsonContent.Create(body, options: EscalationJson.Options));

    public static Task<HttpResponseMessage> PostJson(this HttpClient client, string url, object body) =>
        client.PostAsync(url, JsonContent.Create(body, options: EscalationJson.Options));

    public static Task<HttpResponseMessage> PostRaw(this HttpClient client, string url, string json) =>
        client.PostAsync(url, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    public static async Task<JsonNode> Json(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    public static async Task<JsonNode> Ok(this Task<HttpResponseMessage> call)
    {
        var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>Asserts the status and that the error is RFC 7807 problem+json; returns the problem.</summary>
    public static async Task<JsonNode> Problem(this Task<HttpResponseMessage> call, int status)
    {
        var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", body);
        return JsonNode.Parse(body)!;
    }

    public static string Str(this JsonNode node, string name) => node[name]!.GetValue<string>();

    public static JsonElement Element(this JsonNode node) => JsonSerializer.Deserialize<JsonElement>(node.ToJsonString());
}
