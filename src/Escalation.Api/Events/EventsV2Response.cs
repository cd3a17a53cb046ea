namespace Escalation.Api.Events;

/// <summary>PagerDuty Events API v2 response bodies, byte-compatible with what senders expect.</summary>
public sealed record EventAccepted(string Status, string Message, string DedupKey)
{
    public static EventAccepted For(string dedupKey) => new("success", "Event processed", dedupKey);
}

public sealed record EventRejected(string Status, string Message, IReadOnlyList<string> Errors)
{
    public static EventRejected For(IReadOnlyList<string> errors) => new("invalid event", "Event object is invalid", errors);
}
