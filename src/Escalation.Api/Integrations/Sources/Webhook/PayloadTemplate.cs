using System.Text;
using System.Text.Json;

namespace Escalation.Api.Integrations.Sources.Webhook;

/// <summary>
/// A text made of literal text and <c>{{/json/pointer}}</c> placeholders (RFC 6901), each replaced by the payload's
/// value there: a string as it is, a number or boolean as its JSON text, an object or array as its JSON.
/// </summary>
internal sealed class PayloadTemplate
{
    private readonly IReadOnlyList<Part> parts;

    private PayloadTemplate(IReadOnlyList<Part> parts) => this.parts = parts;

    private sealed record Part(string? Literal, JsonPointer? Pointer, string? PointerText);

    /// <summary>Null with an error when a placeholder is unclosed or holds no valid JSON pointer.</summary>
    public static PayloadTemplate? Parse(string text, out string? error)
    {
        var parts = new List<Part>();
        var at = 0;
        while (at < text.Length)
        {
            var open = text.IndexOf("{{", at, StringComparison.Ordinal);
            if (open < 0)
            {
                parts.Add(new Part(text[at..], null, null));
                break;
            }
            if (open > at) parts.Add(new Part(text[at..open], null, null));
            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                error = $"has a '{{{{' at {open} that no '}}}}' closes";
                return null;
            }
            var pointerText = text[(open + 2)..close].Trim();
            if (!pointerText.StartsWith('/') || !JsonPointer.TryParse(pointerText, out var pointer))
            {
                error = $"has '{{{{{pointerText}}}}}', which is no JSON pointer: write one such as {{{{/monitor/name}}}}";
                return null;
            }
            parts.Add(new Part(null, pointer, pointerText));
            at = close + 2;
        }
        error = null;
        return new PayloadTemplate(parts);
    }

    /// <summary>The text for this payload; <paramref name="missing"/> names the first pointer the payload lacks (or holds null at).</summary>
    public string Render(JsonElement payload, out string? missing)
    {
        missing = null;
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            if (part.Literal is not null)
            {
                text.Append(part.Literal);
                continue;
            }
            var value = part.Pointer!.Value.Evaluate(payload);
            if (value is not { } v || v.ValueKind == JsonValueKind.Null)
            {
                missing ??= part.PointerText;
                continue;
            }
            text.Append(SourceFields.ScalarText(v) ?? v.GetRawText());
        }
        return text.ToString();
    }
}
