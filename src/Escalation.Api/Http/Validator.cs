using Escalation.Incidents;
using System.Net.Mail;
using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.Text;

namespace Escalation.Api.Http;

/// <summary>Collects field errors, named by their JSON path, for one 400 response.</summary>
public sealed partial class Validator
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool IsValid => _errors.Count == 0;

    public IDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    public void Require(string field, string? value, int maxLength = 256)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, $"'{field}' is required.");
        else if (value.Length > maxLength) Add(field, $"'{field}' must be at most {maxLength} characters.");
    }

    public void Id(string field, string value)
    {
        if (!IdPattern().IsMatch(value))
            Add(field, $"'{value}' is not a valid id: use 1-64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit.");
    }

    /// <summary>A whole number given as text (a query parameter) from min to max; null when missing or not valid.</summary>
    public int? WholeNumber(string field, string? value, int min, int max)
    {
        if (value is null) return null;
        if (int.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) &&
            n >= min && n <= max)
            return n;
        Add(field, max == int.MaxValue ? $"'{field}' must be a whole number of at least {min}." : $"'{field}' must be a whole number from {min} to {max}.");
        return null;
    }

    public void Email(string field, string? value)
    {
        if (value is not null && !MailAddress.TryCreate(value, out _)) Add(field, $"'{field}' is not an email address.");
    }

    public void Phone(string field, string? value)
    {
        if (value is not null && !E164().IsMatch(value)) Add(field, $"'{field}' must be an E.164 number such as +819012345678.");
    }

    public void TimeZone(string field, string? value)
    {
        if (value is null) Add(field, $"'{field}' is required.");
        else if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(value) is null)
            Add(field, $"'{value}' is not an IANA time zone such as Asia/Tokyo.");
    }

    /// <summary>Far enough for any schedule, near enough that handoff arithmetic never nears the calendar's ends.</summary>
    private static readonly DateTimeOffset EarliestTimestamp = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset LatestTimestamp = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private const int MaxOffsetSeconds = 14 * 3600;

    /// <summary>At most <paramref name="max"/> links, each an http(s) URL with a short text; the links given, nulls left out.</summary>
    public List<IncidentLink>? Links(string field, IReadOnlyList<IncidentLink?>? links, int max = 10)
    {
        if (links is null) return null;
        if (links.Count > max) Add(field, $"'{field}' may hold at most {max} links.");
        for (var i = 0; i < links.Count; i++)
        {
            if (links[i] is not { } link || !Uri.TryCreate(link.Href, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || link.Href.Length > 2048)
                Add($"{field}[{i}].href", $"'{field}[{i}].href' must be an http or https URL.");
            else Text($"{field}[{i}].text", link.Text, 256);
        }
        return [.. links.OfType<IncidentLink>()];
    }

    /// <summary>An ISO-8601 duration from <paramref name="shortest"/> to <paramref name="longest"/>; null when missing or not valid.</summary>
    public TimeSpan? Duration(string field, string? text, TimeSpan shortest, TimeSpan longest)
    {
        if (text is null) return null;
        if (Json.IsoDuration.TryParse(text, out var value) && value >= shortest && value <= longest) return value;
        Add(field, $"'{field}' must be an ISO-8601 duration from {Json.IsoDuration.Format(shortest)} to {Json.IsoDuration.Format(longest)}, such as \"PT15M\".");
        return null;
    }

    /// <summary>Free text that ends up in messages and log lines: no control characters, so it cannot forge lines.</summary>
    public void Text(string field, string? value, int maxLength)
    {
        if (value is null) return;
        if (value.Length > maxLength) Add(field, $"'{field}' must be at most {maxLength} characters.");
        else if (value.Any(char.IsControl)) Add(field, $"'{field}' must not contain control characters such as line breaks.");
    }

    /// <summary>
    /// An ISO-8601 date-time with its offset (or Z), such as 2026-01-05T10:00:00+09:00. A time without an offset
    /// is refused rather than read in the server's zone. Null when it is missing (if optional) or not valid.
    /// </summary>
    public DateTimeOffset? Timestamp(string field, string? value, bool required = true)
    {
        if (value is null)
        {
            if (required) Add(field, $"'{field}' is required: an ISO-8601 date-time with an offset, such as 2026-01-05T10:00:00+09:00.");
            return null;
        }
        var parsed = OffsetDateTimePattern.ExtendedIso.Parse(value);
        if (parsed.Success && Math.Abs(parsed.Value.Offset.Seconds) is var offset && (offset > MaxOffsetSeconds || offset % 60 != 0))
        {
            Add(field, $"'{field}' must have an offset of whole minutes between -14:00 and +14:00.");
            return null;
        }
        if (parsed.Success && parsed.Value.ToDateTimeOffset() is var at && at >= EarliestTimestamp && at < LatestTimestamp) return at;
        if (parsed.Success)
        {
            Add(field, $"'{field}' must lie between the years 1970 and 2199.");
            return null;
        }
        Add(field, $"'{field}' must be an ISO-8601 date-time with an offset, such as 2026-01-05T10:00:00+09:00 or 2026-01-05T01:00:00Z.");
        return null;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    public static partial Regex IdPattern();

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();
}
