using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace Escalation.Bench.Scale;

/// <summary>
/// What the bench configures through the REST API: one user paged on email only (no provider is configured, so the
/// page goes to the log), a policy of two levels that both page that user, and a service with a known routing key.
/// Kept in <c>&lt;data&gt;/bench-setup.json</c> so that a kept data directory can be run again.
/// </summary>
public sealed record ServiceSetup(string AdminKey, string RoutingKey, string ServiceId, string UserId, double Level1AfterSeconds)
{
    public const string ServiceName = "bench";
    public const string UserName = "bench-user";
    public const string PolicyName = "bench-policy";

    private static string FileIn(string dataDirectory) => Path.Combine(dataDirectory, "bench-setup.json");

    public static ServiceSetup? Load(string dataDirectory) =>
        File.Exists(FileIn(dataDirectory)) ? JsonSerializer.Deserialize<ServiceSetup>(File.ReadAllText(FileIn(dataDirectory))) : null;

    public static ServiceSetup New(TimeSpan level1After) => new(
        "esk_bench_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
        Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
        ServiceName, UserName, level1After.TotalSeconds);

    /// <summary>Level 1 escalates after <see cref="Level1AfterSeconds"/>; level 2 after 30 minutes, so that it pages once and then waits.</summary>
    public async Task Apply(Uri url, string dataDirectory)
    {
        using var http = Client(url);
        await Put(http, $"/api/v1/users/{UserId}", new
        {
            name = "Bench User",
            email = "bench@example.com",
            time_zone = "UTC",
            notification_rules = new[] { new { channel = "email", after = "PT0S", urgency = "any" } },
        });
        await PutPolicyAndService(http, PolicyName, ServiceId, RoutingKey, TimeSpan.FromSeconds(Level1AfterSeconds));
        Directory.CreateDirectory(dataDirectory);
        await File.WriteAllTextAsync(FileIn(dataDirectory), JsonSerializer.Serialize(this));
    }

    /// <summary>
    /// One more service (<paramref name="serviceId"/>) on a policy of its own whose level 1 escalates after
    /// <paramref name="level1After"/>, paging the same user; returns its routing key. The storm's groups.
    /// </summary>
    public async Task<string> ApplyGroup(Uri url, string serviceId, TimeSpan level1After)
    {
        using var http = Client(url);
        var routingKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await PutPolicyAndService(http, $"{serviceId}-policy", serviceId, routingKey, level1After);
        return routingKey;
    }

    private HttpClient Client(Uri url)
    {
        var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return http;
    }

    private async Task PutPolicyAndService(HttpClient http, string policyId, string serviceId, string routingKey, TimeSpan level1After)
    {
        var user = new[] { new { type = "user", id = UserId } };
        await Put(http, $"/api/v1/escalation-policies/{policyId}", new
        {
            name = $"Bench policy {policyId}",
            repeat = 0,
            levels = new[]
            {
                new { escalate_after = $"PT{level1After.TotalSeconds:0}S", targets = user },
                new { escalate_after = "PT30M", targets = user },
            },
        });
        await Put(http, $"/api/v1/services/{serviceId}", new
        {
            name = $"Bench service {serviceId}",
            escalation_policy_id = policyId,
            integration_key = routingKey,
            urgency = "high",
        });
    }

    private static async Task Put<T>(HttpClient http, string path, T body)
    {
        using var response = await http.PutAsJsonAsync(path, body);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
