namespace Escalation.Storage;

/// <summary>How the incident writer batches (<c>Escalation:Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string Section = "Escalation:Storage";

    /// <summary>The most writes one batch commits.</summary>
    public int MaxBatch { get; set; } = 256;
}
