namespace Escalation.Rotations;

/// <summary>One validation failure, named by its snake_case JSON field so the API can answer 400 with it.</summary>
[GenerateSerializer, Alias("escalation.rotation-field-error")]
public sealed record FieldError(
    [property: Id(0)] string Field,
    [property: Id(1)] string Message);
