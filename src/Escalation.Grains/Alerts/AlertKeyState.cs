namespace Escalation.Alerts;

[GenerateSerializer, Alias("escalation.alert-key-state")]
public sealed record AlertKeyState
{
    [Id(0)] public string? OpenIncidentId { get; set; }
}
