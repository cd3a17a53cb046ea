namespace Escalation.Storage.Sms;

/// <summary>
/// One page as it is texted to one phone. <paramref name="Code"/> is what the person replies with ("1a");
/// <paramref name="Link"/> is the alert source's first link (the Sentry issue, the Cloud Monitoring incident), shown
/// when the page is texted alone.
/// </summary>
public sealed record SmsPage(int Code, string IncidentId, string Title, string Severity, string ServiceName, string? Link = null);
