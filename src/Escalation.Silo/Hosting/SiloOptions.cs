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

    /// <summary>
    /// How long a SIGTERM may take, from first to last: the drain delay, the HTTP requests in flight, the bus's consumers
    /// and the silo leaving the cluster. Keep it under the pod's terminationGracePeriodSeconds.
    /// </summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>
    /// After a SIGTERM, how long /health/ready answers 503 while everything still works, before the listener closes:
    /// the time a load balancer takes to stop sending here. 0 locally; the Kubernetes manifests set 5 s.
    /// </summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.Zero;
}
