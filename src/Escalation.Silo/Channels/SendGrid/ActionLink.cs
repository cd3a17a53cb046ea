namespace Escalation.Silo.Channels.SendGrid;

/// <summary>
/// The claim behind a one-click email link: this user may do this to this incident until then, while the incident
/// is still in the cycle the page was sent in (<see cref="LinkValidity"/>).
/// </summary>
public sealed record ActionLink(string IncidentId, int Cycle, string UserId, LinkAction Action, DateTimeOffset ExpiresAt);
