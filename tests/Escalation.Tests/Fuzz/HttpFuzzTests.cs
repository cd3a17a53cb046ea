using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using CsCheck;
using Escalation.Tests.Channels;
using Microsoft.AspNetCore.WebUtilities;
using Xunit.Abstractions;

namespace Escalation.Tests.Fuzz;

/// <summary>
/// A property-based fuzz of every route: thousands of generated bodies, queries and path values, and not one answer
/// may be a 5xx; every 4xx explains itself in the route's error format, without a stack trace. The run's seed is
/// printed; setting <see cref="SeedVariable"/> to it replays the same requests (<see cref="CountVariable"/> sets how many).
/// </summary>
public sealed class HttpFuzzTests(FuzzFixture fixture, ITestOutputHelper output) : IClassFixture<FuzzFixture>
{
    public const string SeedVariable = "ESCALATION_FUZZ_SEED";
    public const string CountVariable = "ESCALATION_FUZZ_COUNT";
    private const int DefaultCount = 3000;
    private const int Parallel = 4;

    [Fact]
    public async Task No_generated_request_is_answered_5xx_and_every_4xx_is_a_problem_without_a_stack_trace()
    {
        var seed = Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } given ? given : Gen.Seed.Single();
        var count = int.TryParse(Environment.GetEnvironmentVariable(CountVariable), out var n) ? n : DefaultCount;
        output.WriteLine($"fuzz seed {seed}: {SeedVariable}={seed} replays these {count} requests");

        var routes = new FuzzRoutes(fixture.RoutingKey, fixture.IncidentId).Any;
        var pcg = PCG.Parse(seed);
        var requests = Enumerable.Range(0, count).Select(_ => routes.Generate(pcg, null, out CsCheck.Size _)).ToList();

        var client = fixture.App.CreateClient();
        var failures = new ConcurrentBag<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        var clock = Stopwatch.StartNew();
        await System.Threading.Tasks.Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = Parallel }, async (request, ct) =>
        {
            using var message = Message(request);
            using var response = await client.SendAsync(message, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            var status = (int)response.StatusCode;
            statuses.AddOrUpdate(status, 1, (_, c) => c + 1);
            if (Fault(request, response, body) is { } fault) failures.Add($"{status} ({fault}) for {request}\n    answer: {Cut(body)}");
        });

        output.WriteLine($"{count} requests in {clock.Elapsed.TotalSeconds:F1} s: " +
            string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} x{s.Value}")));
        Assert.True(failures.IsEmpty, $"{failures.Count} of {count} answers were wrong ({SeedVariable}={seed} replays them):\n" +
            string.Join("\n", failures.Take(25)));
    }

    /// <summary>What is wrong with the answer, or null when it is as promised.</summary>
    private static string? Fault(FuzzRequest request, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        if (status >= 500) return "a server error";
        if (body.Contains("   at ") || body.Contains("Exception")) return "a stack trace or exception in the body";
        if (status < 400 || request.Method == "HEAD") return null;
        var type = response.Content.Headers.ContentType?.MediaType;
        // PagerDuty's senders expect its error body; a person's browser gets a page. Everything else: RFC 7807.
        var expected = request.Path.StartsWith("/v2/enqueue") && status is 400 or 413 ? "application/json"
            : request.Path.StartsWith("/links/") && status is 404 or 409 or 410 && type == "text/html" ? "text/html"
            : "application/problem+json";
        return type == expected ? null : $"a {type ?? "bodiless"} answer, not {expected}";
    }

    private static HttpRequestMessage Message(FuzzRequest request)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path);
        if (request.Authorization is { } auth) message.Headers.TryAddWithoutValidation("Authorization", auth);
        if (request.Body is { } body)
        {
            message.Content = new ByteArrayContent(body);
            if (request.ContentType is { } type) message.Content.Headers.TryAddWithoutValidation("Content-Type", type);
        }
        var signedBody = request.SignedRight ? request.BodyText : request.BodyText + "tampered";
        switch (request.Signing)
        {
            case Signing.Slack:
                var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                message.Headers.Add("X-Slack-Request-Timestamp", timestamp.ToString());
                message.Headers.Add("X-Slack-Signature", ProviderSignatures.Slack(ProviderFakes.SlackSigningSecret, timestamp, signedBody));
                break;
            case Signing.Twilio:
                var form = QueryHelpers.ParseQuery(signedBody).SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? "")));
                message.Headers.Add("X-Twilio-Signature", ProviderSignatures.Twilio(ProviderFakes.TwilioAuthToken, ProviderFakes.PublicBaseUrl + request.Path, form));
                break;
        }
        return message;
    }

    private static string Cut(string body) => body.Length > 400 ? body[..400] + "..." : body;
}
