using System.Text.Json.Nodes;
using CsCheck;

namespace Escalation.Tests.Fuzz;

/// <summary>How to make one JSON value: one that is valid, and any, valid or not.</summary>
public sealed record FuzzField(Gen<JsonNode?> Valid, Gen<JsonNode?> Any);

/// <summary>Generated text and JSON, weighted towards what breaks services: braces, escapes, control characters, size.</summary>
public static class FuzzValues
{
    private static readonly string[] Nasty =
    [
        "", " ", "{", "}", "{}", "{0}", "{}:{alertname=\"HighErrorRate\"}", "}{", "%", "%7B", "%%", "%zz", "null", "true", "0", "-1",
        "2147483648", "-9223372036854775809", "1e309", "NaN", "\t", "\r\n", "line1\nline2", "\u0085", "\u2028", "\u200b", "\ufeff",
        "\\", "\"", "'", "<script>alert(1)</script>", "' OR '1'='1", "../../etc/passwd", "a/b", "|", "api|disk", "日本語", "🚨🔥",
        "\u0301", "\ud83d", "\udc00", "\u0001\u001f", "2026-01-05T10:00:00+09:00", "2026-01-05T10:00:00", "2026-13-45T99:99:99Z",
        "0001-01-01T00:00:00Z", "9999-12-31T23:59:59+14:00", "2026-03-08T02:30:00-05:00", "PT15M", "PT0S", "P9999999D", "-PT1M",
        "PT1.5S", "+819012345678", "+1", "a@b", "user@example.com", "Asia/Tokyo", "Mars/Olympus", "UTC", "oncall", "b1", "boss",
        "slacker", "api", "default", "team-backend", "primary", "critical", "error", "warning", "info", "high", "low", "user", "team",
        "rotation", "replace", "add", "remove", "hourly", "daily", "weekly", "slack", "sms", "email", "admin", "responder", "en", "ja",
        "C0123456789", "U0FUZZ0001",
    ];

    /// <summary>Stands for text JSON can carry but .NET strings cannot hold whole; put in after serialising (<see cref="ToJson"/>).</summary>
    public const string LoneSurrogate = "@@LONE@@";
    public const string Nul = "@@NUL@@";

    public static readonly Gen<string> Text = Gen.Frequency(
        (6, Gen.OneOf([.. Nasty, LoneSurrogate, Nul, $"bad{Nul}key", $"x{LoneSurrogate}"])),
        (3, Gen.String[0, 40].Select(WithoutLoneSurrogates)),
        (3, Gen.Char["{}%|/\\\"' \t\nab7BD日é"].Array[1, 30].Select(c => new string(c))),
        (1, Gen.Int[200, 3000].Select(n => new string('x', n))),
        (1, Gen.OneOf(new string('{', 255), new string('}', 256), new string('k', 255))));

    /// <summary>The JSON text of a value, with the stand-ins replaced by the escapes they stand for.</summary>
    public static string ToJson(JsonNode? node) =>
        (node?.ToJsonString() ?? "null").Replace(LoneSurrogate, "\\ud800").Replace(Nul, "\\u0000");

    private static string WithoutLoneSurrogates(string s)
    {
        var text = new System.Text.StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) text.Append(s[i]).Append(s[++i]);
            else if (char.IsSurrogate(s[i])) text.Append(LoneSurrogate);
            else text.Append(s[i]);
        }
        return text.ToString();
    }

    private static readonly Gen<JsonNode?> Scalar = Gen.Frequency(
        (2, Gen.Const((JsonNode?)null)),
        (1, Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b))),
        (2, Gen.OneOf(Gen.Int[-3, 30], Gen.Int).Select(i => (JsonNode?)JsonValue.Create(i))),
        (1, Gen.Long.Select(l => (JsonNode?)JsonValue.Create(l))),
        (1, Gen.Double.Where(double.IsFinite).Select(d => (JsonNode?)JsonValue.Create(d))),
        (6, Text.Select(s => (JsonNode?)JsonValue.Create(s))));

    /// <summary>Any JSON value up to <paramref name="depth"/> levels deep.</summary>
    public static Gen<JsonNode?> Value(int depth) => depth == 0
        ? Scalar
        : Gen.Frequency(
            (6, Scalar),
            (1, Value(depth - 1).Array[0, 4].Select(items => (JsonNode?)new JsonArray(items))),
            (1, Gen.Select(Text, Value(depth - 1)).Array[0, 4].Select(pairs => (JsonNode?)Object(pairs))));

    /// <summary>A field's value: mostly one of the values the field takes or nearly takes (the first is valid), else any JSON.</summary>
    public static FuzzField Field(params string[] plausible) => new(
        Gen.Const(() => (JsonNode?)JsonValue.Create(plausible[0])),
        Gen.Frequency(
            (4, Gen.OneOf(plausible).Select(s => (JsonNode?)JsonValue.Create(s))),
            (3, Text.Select(s => (JsonNode?)JsonValue.Create(s))),
            (2, Value(2))));

    public static FuzzField Number(int low, int high) => new(
        Gen.Int[Math.Max(low, 1), Math.Max(low, 1) + 2].Select(i => (JsonNode?)JsonValue.Create(i)),
        Gen.Frequency((4, Gen.Int[low, high].Select(i => (JsonNode?)JsonValue.Create(i))), (2, Value(1))));

    public static FuzzField AnyJson(int depth) => new(Value(depth), Value(depth));

    public static FuzzField ListOf(FuzzField item, int most = 5) => new(
        item.Valid.Array[1, 3].Select(items => (JsonNode?)new JsonArray(items)),
        Gen.Frequency(
            (5, item.Any.Array[0, most].Select(items => (JsonNode?)new JsonArray(items))),
            (1, item.Valid.Array[100, 260].Select(items => (JsonNode?)new JsonArray(items))),
            (2, Value(2))));

    /// <summary>
    /// An object: all valid but one field (missing or odd), which reaches the checks behind the first; or a free mix of
    /// fields that may each be missing or odd, now and then with a field no one asked for.
    /// </summary>
    public static FuzzField ObjectOf(params (string Name, FuzzField Value)[] fields)
    {
        var valid = All(fields.Select(f => f.Value.Valid).ToArray()).Select(values => (JsonNode?)Object(fields, values, _ => true));
        var oneOff = Gen.Select(All(fields.Select(f => f.Value.Valid).ToArray()), Gen.Int[0, fields.Length - 1], Gen.Bool,
            All(fields.Select(f => f.Value.Any).ToArray()),
            (values, odd, drop, anys) =>
            {
                if (!drop) values[odd] = anys[odd];
                return (JsonNode?)Object(fields, values, i => !drop || i != odd);
            });
        var mix = Gen.Select(
            Gen.Int[0, 9].Array[fields.Length],
            All(fields.Select(f => f.Value.Any).ToArray()),
            Gen.Frequency((8, Gen.Const(Array.Empty<(string, JsonNode?)>())), (1, Gen.Select(Text, Value(1)).Array[1, 3])),
            (presence, values, extra) =>
            {
                var obj = Object(fields, values, i => presence[i] < 8);
                foreach (var (name, value) in extra) obj[name] = value;
                return (JsonNode?)obj;
            });
        return new FuzzField(valid, Gen.Frequency((1, valid), (3, oneOff), (3, mix)));
    }

    private static JsonObject Object((string Name, FuzzField Value)[] fields, JsonNode?[] values, Func<int, bool> present)
    {
        var obj = new JsonObject();
        for (var i = 0; i < fields.Length; i++)
            if (present(i)) obj[fields[i].Name] = values[i];
        return obj;
    }

    private static Gen<JsonNode?[]> All(Gen<JsonNode?>[] gens) =>
        gens.Aggregate(Gen.Const(Array.Empty<JsonNode?>()), (acc, g) => Gen.Select(acc, g, (a, v) => a.Append(v).ToArray()));

    private static JsonObject Object(IEnumerable<(string Name, JsonNode? Value)> pairs)
    {
        var obj = new JsonObject();
        foreach (var (name, value) in pairs) obj[name] = value;
        return obj;
    }
}
