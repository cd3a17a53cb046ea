using System.Net;
using Escalation.Tests.Api;

namespace Escalation.Tests.Integrations;

/// <summary>Apart from the other integration tests: it spends its address's allowance of unknown secrets.</summary>
public sealed class IntegrationThrottleTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _admin = fixture.App.Client();
    private readonly HttpClient _tool = fixture.App.Client(key: null);

    [Fact]
    public async Task Unknown_secrets_are_throttled_per_address_and_a_good_one_still_works()
    {
        var created = await _admin.PostJson("/api/v1/services/api/integrations", new { type = "alertmanager", name = "throttle" }).Ok();
        var id = created.Str("id");
        const string fired = """{"version":"4","alerts":[{"status":"firing","fingerprint":"thr","labels":{"alertname":"T"}}]}""";
        HttpResponseMessage last = null!;
        for (var i = 0; i < 25 && last?.StatusCode != HttpStatusCode.TooManyRequests; i++)
        {
            last = await _tool.PostRaw($"/integrations/{id}/ein_guess{i}", fired);
            Assert.True(last.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, last.StatusCode.ToString());
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, last.StatusCode);
        Assert.NotNull(last.Headers.RetryAfter);
    }
}
