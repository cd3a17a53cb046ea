using System.Text;
using System.Text.Json;
using Escalation.Api.Integrations;
using Escalation.Storage.Integrations;
using Microsoft.AspNetCore.Http;

namespace Escalation.Tests.Integrations.Sources;

/// <summary>Requests as the ingest endpoint hands them to a source: the raw body, its JSON and the headers.</summary>
public static class SourceRequests
{
    public static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    public static Integration Integration(string type, string? signingSecret = null, string? settingsJson = null) =>
        new("int-1", "api", type, "test", signingSecret,
            settingsJson is null ? null : JsonDocument.Parse(settingsJson).RootElement.Clone(), Now);

    public static SourceRequest For(Integration integration, string body, IDictionary<string, string>? headers = null, DateTimeOffset? now = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var headerDictionary = new HeaderDictionary();
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) headerDictionary[name] = value;
        return new SourceRequest(integration, headerDictionary, bytes, JsonDocument.Parse(bytes).RootElement.Clone(), now ?? Now);
    }

    public static T Is<T>(this SourceResult result) where T : SourceResult =>
        Assert.IsType<T>(result);

    public static Escalation.Alerts.InboundAlert Single(this SourceResult result) =>
        Assert.Single(result.Is<SourceResult.Alerts>().Items);
}
