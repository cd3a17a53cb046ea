using System.Text;
using System.Text.Json;
using Escalation.Api.Integrations;
using Escalation.Storage.Integrations;
using Microsoft.AspNetCore.Http;

namespace Escalation.Tests.Integrations;

public static class SourceRequests
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public static SourceRequest For(string type, string json, string? signingSecret = null, JsonElement? settings = null,
        IDictionary<string, string>? headers = null) =>
        new(new Integration("int_1", "api", type, "test", signingSecret, settings, Now),
            new HeaderDictionary(headers?.ToDictionary(h => h.Key, h => new Microsoft.Extensions.Primitives.StringValues(h.Value)) ?? []),
            Encoding.UTF8.GetBytes(json), JsonSerializer.Deserialize<JsonElement>(json), Now);
}
