using Escalation.Deadlines;
using Orleans.Runtime.Services;

namespace Escalation.Silo.Deadlines;

/// <summary>Finds the deadline service that owns a grain's deadlines: the one whose ring range holds the grain's hash.</summary>
public sealed class DeadlineServiceClient(IServiceProvider services) : GrainServiceClient<IDeadlineService>(services)
{
    public IDeadlineService OwnerOf(GrainId grain) => GetGrainService(grain);
}
