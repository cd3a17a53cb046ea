namespace Escalation.Silo.Hosting;

public sealed class SiloOptions
{
    public const string Section = "Escalation:Silo";

    public string ClusterId { get; set; } = "escalation";

    /// <summary>Silo-to-silo port; 0 picks a free one (for tests).</summary>
    public int Port { get; set; } = 11111;

    /// <summary>The address other silos reach this one at.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Seconds without answers before another silo is declared dead; lower in tests that kill silos.</summary>
    public int ProbeTimeoutSeconds { get; set; } = 5;
}
