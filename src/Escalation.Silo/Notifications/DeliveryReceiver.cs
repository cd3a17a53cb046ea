using Escalation.Storage.Deliveries;
using Escalation.Incidents;

namespace Escalation.Silo.Notifications;

/// <summary>Records what a provider reports in the ledger, and tells the incidents whose pages it turned into failures.</summary>
public sealed class DeliveryReceiver(DeliveryLedger ledger, IGrainFactory grains, TimeProvider clock) : IDeliveryReceiver
{
    public async Task ProviderStatus(string providerMessageId, string? senderNotificationId, string providerStatus, string? failure)
    {
        // A failure the provider reports later is taken as one that may pass: the incident may page the person again.
        foreach (var delivery in await ledger.RecordProviderStatus(providerMessageId, senderNotificationId, providerStatus, failure, clock.GetUtcNow()))
            if (delivery.IncidentId is { } incidentId)
                await grains.GetGrain<IIncidentGrain>(incidentId).ReportDelivery(delivery.Report(clock.GetUtcNow()));
    }
}
