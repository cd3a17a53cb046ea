using System.Text.Json.Serialization;

namespace Escalation.Rotations;

/// <summary>A rotation as configured: the stored document behind <c>/api/v1/rotations/{id}</c>.</summary>
[GenerateSerializer, Alias("escalation.rotation")]
public sealed record Rotation(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string TimeZone,
    [property: Id(3)] RotationType Type,
    [property: Id(4)] int ShiftLength,
    [property: Id(5)] DateTimeOffset Start,
    [property: Id(6)] IReadOnlyList<string> Participants,
    [property: Id(7)] string? AnnounceChannel)
{
    /// <summary>What decides the handoffs, as one string: equal exactly when the handoffs are the same.</summary>
    [JsonIgnore]
    public string Fingerprint =>
        $"{TimeZone}|{Type}|{ShiftLength}|{Start.UtcTicks}|{string.Join(",", Participants)}";

    [JsonIgnore]
    public RotationSchedule Schedule => new(TimeZone, Type, ShiftLength, Start, Participants);
}
