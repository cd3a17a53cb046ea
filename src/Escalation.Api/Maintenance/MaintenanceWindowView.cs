using Escalation.Maintenance;

namespace Escalation.Api.Maintenance;

public sealed record OccurrenceView(DateTimeOffset Start, DateTimeOffset End);

/// <summary>A window as the API shows it: its definition, and where it stands now.</summary>
public sealed record MaintenanceWindowView(
    string Id,
    IReadOnlyList<string> Services,
    string? Reason,
    DateTimeOffset Start,
    DateTimeOffset End,
    MaintenanceRecurrence? Recurrence,
    bool InEffect,
    OccurrenceView? Current,
    OccurrenceView? Next,
    EarlyEnd? EndedEarly,
    DateTimeOffset? RecurrenceEnds,
    string CreatedBy,
    DateTimeOffset CreatedAt)
{
    public static MaintenanceWindowView Of(MaintenanceWindow w, DateTimeOffset now)
    {
        var upcoming = MaintenanceSchedule.From(w, now).Take(2).ToList();
        var current = upcoming.FirstOrDefault(o => o.Covers(now));
        var next = upcoming.FirstOrDefault(o => o.Start > now);
        return new(w.Id, w.Services, w.Reason, w.Start, w.End, w.Recurrence, current is not null,
            current is null ? null : new(current.Start, current.End), next is null ? null : new(next.Start, next.End),
            w.EndedEarly, w.RecurrenceEnds, w.CreatedBy, w.CreatedAt);
    }
}
