using Escalation.Storage.Sms;
namespace Escalation.Silo.Channels.Twilio;

/// <summary>The texts this service sends by SMS: pages, alone or bundled, and the answers to replies.</summary>
public static class SmsPageText
{
    /// <summary>Twilio refuses a longer body (error 21617).</summary>
    public const int MaxLength = 1600;

    /// <summary>One GSM-7 segment. Short answers aim to fit in one, which is what a carrier bills.</summary>
    private const int SegmentLength = 160;

    private const int MaxSeverityLength = 20;
    private const int MaxServiceLength = 60;
    private const int MaxIncidentIdLength = 40;
    /// <summary>A longer link is left out rather than cut: half a URL leads nowhere.</summary>
    private const int MaxLinkLength = 300;

    /// <summary>
    /// The text for the pages sent together to one phone. Titles are shortened as far as needed to stay within
    /// <see cref="MaxLength"/>; codes are never dropped. A bundle too large even for codes alone is refused.
    /// </summary>
    public static string Render(IReadOnlyList<SmsPage> pages)
    {
        if (pages.Count == 0)
        {
            throw new ArgumentException("There must be at least one page.", nameof(pages));
        }
        var cleaned = pages.Select(Clean).ToList();
        var longestTitle = cleaned.Max(p => p.Title.Length);
        if (cleaned.Count == 1)
        {
            // Severity and service are capped, so an empty title always fits.
            return FitTitles(limit => Single(cleaned[0], limit), longestTitle)!;
        }
        return FitTitles(limit => Bundle(cleaned, limit, detailed: true), longestTitle)
            ?? FitTitles(limit => Bundle(cleaned, limit, detailed: false), longestTitle)
            ?? throw new ArgumentException($"{pages.Count} pages do not fit in one SMS even without titles; send them in smaller bundles.", nameof(pages));
    }

    public static string Help() =>
        "Reply a page's code and a letter: 1a acknowledges page 1, 1c resolves it, 1e escalates it. "
        + "aa acknowledges all, cc resolves all. STOP ends SMS, START resumes.";

    public static string Acknowledged(string incidentId, string title) => Confirmation("Acknowledged", incidentId, title);

    public static string Resolved(string incidentId, string title) => Confirmation("Resolved", incidentId, title);

    public static string Escalated(string incidentId, string title) => Confirmation("Escalated", incidentId, title);

    public static string AcknowledgedAll(int count) => $"Acknowledged {Incidents(count)}.";

    public static string ResolvedAll(int count) => $"Resolved {Incidents(count)}.";

    public static string NoSuchCode(int code) => $"No page sent to you has code {code}. Reply HELP for the commands.";

    public static string Stopped() => "You will get no more pages by SMS. Reply START to receive them again.";

    private static SmsPage Clean(SmsPage page) => page with
    {
        Title = SmsFreeText.Clean(page.Title),
        Severity = SmsFreeText.Shorten(SmsFreeText.Clean(page.Severity), MaxSeverityLength),
        ServiceName = SmsFreeText.Shorten(SmsFreeText.Clean(page.ServiceName), MaxServiceLength),
        Link = page.Link is { } link && Uri.TryCreate(link, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && !link.Any(char.IsWhiteSpace) ? link : null,
    };

    /// <summary>
    /// The text with every title cut to the largest common limit that keeps it within <see cref="MaxLength"/>
    /// (short titles stay whole), or null when it does not fit even with no titles at all.
    /// </summary>
    private static string? FitTitles(Func<int, string> render, int longestTitle)
    {
        var whole = render(longestTitle);
        if (whole.Length <= MaxLength)
        {
            return whole;
        }
        if (render(0).Length > MaxLength)
        {
            return null;
        }
        var fits = 0;
        var tooLong = longestTitle;
        while (tooLong - fits > 1)
        {
            var limit = fits + (tooLong - fits) / 2;
            if (render(limit).Length <= MaxLength)
            {
                fits = limit;
            }
            else
            {
                tooLong = limit;
            }
        }
        return render(fits);
    }

    private static string Single(SmsPage page, int titleLimit)
    {
        var code = page.Code;
        var what = Describe(page, titleLimit) is { Length: > 0 } described ? described : "New page";
        var link = page.Link is { Length: > 0 and <= MaxLinkLength } href ? $" {href}" : "";
        return $"{what}.{link} Reply {code}a to acknowledge, {code}c to resolve, {code}e to escalate.";
    }

    private static string Bundle(IReadOnlyList<SmsPage> pages, int titleLimit, bool detailed)
    {
        var lines = new List<string>(pages.Count + 2) { $"{pages.Count} pages:" };
        foreach (var page in pages)
        {
            var what = detailed ? Describe(page, titleLimit) : SmsFreeText.Shorten(page.Title, titleLimit);
            lines.Add($"{page.Code}: {what}".TrimEnd());
        }
        var example = pages[0].Code;
        lines.Add($"Reply aa to acknowledge all, or {example}a/{example}c/{example}e for one.");
        return string.Join('\n', lines);
    }

    /// <summary>"[critical] Database down (payments)", leaving out whatever is blank.</summary>
    private static string Describe(SmsPage page, int titleLimit)
    {
        string[] parts =
        [
            page.Severity.Length > 0 ? $"[{page.Severity}]" : "",
            SmsFreeText.Shorten(page.Title, titleLimit),
            page.ServiceName.Length > 0 ? $"({page.ServiceName})" : "",
        ];
        return string.Join(' ', parts.Where(p => p.Length > 0));
    }

    private static string Confirmation(string done, string incidentId, string title)
    {
        var head = $"{done} {SmsFreeText.Shorten(SmsFreeText.Clean(incidentId), MaxIncidentIdLength)}";
        var room = SegmentLength - head.Length - ": ".Length;
        var shortTitle = SmsFreeText.Shorten(SmsFreeText.Clean(title), Math.Max(0, room));
        return shortTitle.Length == 0 ? $"{head}." : $"{head}: {shortTitle}";
    }

    private static string Incidents(int count) => count == 1 ? "1 incident" : $"{count} incidents";
}
