using Escalation.Storage.Deliveries;
using Orleans.Runtime;

namespace Escalation.Silo.Notifications;

/// <summary>This silo as a claimant on the ledger, with the silos alive in its view of the cluster's membership.</summary>
public sealed class Claimants(IClusterMembershipService membership, ILocalSiloDetails silo)
{
    public Claimant Here()
    {
        var self = silo.SiloAddress.ToParsableString();
        var live = membership.CurrentSnapshot.Members.Values.Where(m => m.Status != SiloStatus.Dead).Select(m => m.SiloAddress.ToParsableString());
        return new Claimant(self, live.Append(self).ToHashSet());
    }
}
