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
    [JsonIgnore]
    public RotationSchedule Schedule => new(TimeZone, Type, ShiftLength, Start, Participants);
}
