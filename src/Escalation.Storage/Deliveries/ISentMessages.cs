namespace Escalation.Storage.Deliveries;

/// <summary>What the ledger says a channel has sent of an incident, for a channel that changes what it sent (Slack updates).</summary>
public interface ISentMessages
{
    /// <summary>
    /// The incident's notifications on <paramref name="channel"/>, settled or still being sent, in the order they were
    /// claimed, with the provider's ids ("channel/ts" for Slack).
    /// </summary>
    Task<IReadOnlyList<ChannelMessage>> Messages(string incidentId, string channel);
}
