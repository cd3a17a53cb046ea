namespace Escalation.Storage;

/// <summary>How the group-commit writers batch (<c>Escalation:Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string Section = "Escalation:Storage";

    /// <summary>The most writes one batch commits.</summary>
    public int MaxBatch { get; set; } = 256;

    /// <summary>How many batches of one writer may be committing at once, each on its own connection.</summary>
    public int Writers { get; set; } = 2;
}
