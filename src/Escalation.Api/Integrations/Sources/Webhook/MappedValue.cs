using System.Text.Json;

namespace Escalation.Api.Integrations.Sources.Webhook;

/// <summary>
/// An action or severity in a webhook mapping: either a constant (<c>"resolve"</c>) or read from the payload,
/// <c>{"path": "/alertType", "map": {"1": "trigger", "2": "resolve"}, "default": "trigger"}</c>. The payload's value
/// is looked up in <c>map</c> (its JSON text, so 1 and "1" alike), else taken as a name itself, else
/// <c>default</c> applies.
/// </summary>
internal sealed class MappedValue
{
    private MappedValue(string? constant, JsonPointer? path, string? pathText, IReadOnlyDictionary<string, string> map, string? @default)
    {
        Constant = constant;
        Path = path;
        PathText = pathText;
        Map = map;
        Default = @default;
    }

    public string? Constant { get; }
    public JsonPointer? Path { get; }
    public string? PathText { get; }
    public IReadOnlyDictionary<string, string> Map { get; }
    public string? Default { get; }

    /// <summary>Whether this can give <paramref name="name"/>: a value read from the payload can give any.</summary>
    public bool CanBe(string name) => Constant is null || Constant == name;

    public static MappedValue? Parse(JsonElement value, string field, IReadOnlyCollection<string> names, List<(string, string)> errors)
    {
        var choices = string.Join(", ", names);
        if (value.ValueKind == JsonValueKind.String)
        {
            var constant = value.GetString()!.ToLowerInvariant();
            if (names.Contains(constant)) return new MappedValue(constant, null, null, new Dictionary<string, string>(), null);
            errors.Add((field, $"'{field}' must be one of {choices}, or {{\"path\": \"/json/pointer\", \"map\": {{...}}, \"default\": ...}}"));
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add((field, $"'{field}' must be one of {choices}, or an object with 'path'"));
            return null;
        }

        var before = errors.Count;
        JsonPointer? path = null;
        string? pathText = null;
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? @default = null;
        foreach (var p in value.EnumerateObject())
        {
            var name = $"{field}.{p.Name}";
            switch (p.Name)
            {
                case "path":
                    pathText = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null;
                    if (pathText is not null && pathText.StartsWith('/') && JsonPointer.TryParse(pathText, out var parsed)) path = parsed;
                    else errors.Add((name, $"'{name}' must be a JSON pointer such as \"/alertType\""));
                    break;
                case "map":
                    if (p.Value.ValueKind != JsonValueKind.Object)
                    {
                        errors.Add((name, $"'{name}' must be an object from the payload's values to {choices}"));
                        break;
                    }
                    foreach (var entry in p.Value.EnumerateObject())
                    {
                        var target = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()!.ToLowerInvariant() : null;
                        if (target is null || !names.Contains(target))
                            errors.Add(($"{name}.{entry.Name}", $"'{name}.{entry.Name}' must be one of {choices}"));
                        else map[entry.Name] = target;
                    }
                    break;
                case "default":
                    @default = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()!.ToLowerInvariant() : null;
                    if (@default is null || !names.Contains(@default)) errors.Add((name, $"'{name}' must be one of {choices}"));
                    break;
                default:
                    errors.Add((name, $"'{name}' is not a setting: use path, map and default"));
                    break;
            }
        }
        if (pathText is null && errors.Count == before) errors.Add(($"{field}.path", $"'{field}.path' is required"));
        return errors.Count > before ? null : new MappedValue(null, path, pathText, map, @default);
    }

    /// <summary>The name for this payload, or null (then <paramref name="missing"/> says whether the path was absent).</summary>
    public string? Resolve(JsonElement payload, IReadOnlyCollection<string> names, out bool missing, out string? raw)
    {
        missing = false;
        raw = null;
        if (Constant is not null) return Constant;
        var value = Path!.Value.Evaluate(payload);
        if (value is not { } v || v.ValueKind == JsonValueKind.Null)
        {
            missing = true;
            return Default;
        }
        raw = SourceFields.ScalarText(v) ?? v.GetRawText();
        if (Map.TryGetValue(raw, out var mapped)) return mapped;
        var lowered = raw.ToLowerInvariant();
        return names.Contains(lowered) ? lowered : Default;
    }
}
