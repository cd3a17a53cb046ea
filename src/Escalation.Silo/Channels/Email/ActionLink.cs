namespace Escalation.Silo.Channels.Email;

/// <summary>The claim behind a one-click email link: this user may do this to this incident until then.</summary>
public sealed record ActionLink(string IncidentId, string UserId, LinkAction Action, DateTimeOffset ExpiresAt);
