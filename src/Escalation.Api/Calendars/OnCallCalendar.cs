using System.Globalization;
using Ical.Net.Serialization;
using Calendar = Ical.Net.Calendar;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;

namespace Escalation.Api.Calendars;

/// <summary>One stretch of on-call time as a calendar shows it.</summary>
public sealed record CalendarShift(string RotationId, string Summary, string Description, DateTimeOffset Start, DateTimeOffset End, string Who);

/// <summary>An iCalendar (RFC 5545) feed of on-call shifts, for Google Calendar, Outlook or Apple Calendar to subscribe to.</summary>
public static class OnCallCalendar
{
    public const string ContentType = "text/calendar; charset=utf-8";

    /// <summary>
    /// Each stretch is one event in UTC. Its UID is derived from the rotation, the stretch and who is on call, so a
    /// refreshed feed keeps unchanged events as they are; an override replaces the stretches it cuts with new events.
    /// </summary>
    public static string Render(string name, IEnumerable<CalendarShift> shifts, DateTimeOffset now)
    {
        var calendar = new Calendar { ProductId = "-//Escalation//On-call schedule//EN", Method = "PUBLISH" };
        calendar.AddProperty("X-WR-CALNAME", name);
        calendar.AddProperty("X-PUBLISHED-TTL", "PT1H");
        foreach (var shift in shifts)
        {
            calendar.Events.Add(new CalendarEvent
            {
                Uid = $"{shift.RotationId}.{Stamp(shift.Start)}.{Stamp(shift.End)}.{shift.Who}@escalation",
                Summary = shift.Summary,
                Description = shift.Description,
                DtStart = new CalDateTime(shift.Start.UtcDateTime),
                DtEnd = new CalDateTime(shift.End.UtcDateTime),
                DtStamp = new CalDateTime(now.UtcDateTime),
                Transparency = Ical.Net.TransparencyType.Transparent,
            });
        }
        return new CalendarSerializer().SerializeToString(calendar)!;
    }

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
