namespace Escalation.Api.Reports;

/// <summary>What the reports count as working hours, and how much one report may read.</summary>
public sealed class ReportOptions
{
    public const string Section = "Escalation:Reports";

    /// <summary>Pages from this local time on weekdays are in working hours (in each person's own zone).</summary>
    public TimeOnly WorkdayStart { get; set; } = new(9, 0);

    /// <summary>Pages from this local time on are after hours again.</summary>
    public TimeOnly WorkdayEnd { get; set; } = new(18, 0);

    /// <summary>A range holding more incidents than this is refused (narrow it, or ask per service) rather than half counted.</summary>
    public int MaxIncidents { get; set; } = 20_000;
}
