namespace Escalation.Silo.Hosting;

/// <summary>The message bus: in-memory by default (grain outboxes re-drive anything a crash loses), or RabbitMQ.</summary>
public sealed class BusOptions
{
    public const string Section = "Escalation:Bus";

    /// <summary>"in-memory" or "rabbitmq".</summary>
    public string Transport { get; set; } = "in-memory";

    public RabbitMqOptions RabbitMq { get; set; } = new();

    public bool UsesRabbitMq => string.Equals(Transport, "rabbitmq", StringComparison.OrdinalIgnoreCase);
}

public sealed class RabbitMqOptions
{
    public string Host { get; set; } = "localhost";
    public ushort Port { get; set; } = 5672;
    public string VirtualHost { get; set; } = "/";
    public string Username { get; set; } = "guest";
    public string Password { get; set; } = "guest";
}
