using Escalation.Incidents;
using Escalation.Silo.Channels.SendGrid;

namespace Escalation.Tests.Channels.Email;

public class LinkValidityTests
{
    private static readonly DateTimeOffset Expiry = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private static ActionLink Link(LinkAction action, int cycle = 1) => new("inc-1", cycle, "aiko", action, Expiry);

    private static IncidentState Incident(IncidentStatus status, int cycle = 1) =>
        new() { Id = "inc-1", Status = status, Cycle = cycle, AcknowledgedBy = "ben", ResolvedBy = "chen" };

    [Theory]
    [InlineData(LinkAction.Acknowledge, IncidentStatus.Triggered)]
    [InlineData(LinkAction.Resolve, IncidentStatus.Triggered)]
    [InlineData(LinkAction.Resolve, IncidentStatus.Acknowledged)]
    public void A_link_stands_while_its_cycle_still_needs_it(LinkAction action, IncidentStatus status)
    {
        Assert.Null(LinkValidity.Stale(Link(action), Incident(status)));
    }

    [Fact]
    public void An_acknowledge_link_is_spent_once_the_incident_is_acknowledged()
    {
        Assert.Equal("Incident inc-1 is already acknowledged by ben.", LinkValidity.Stale(Link(LinkAction.Acknowledge), Incident(IncidentStatus.Acknowledged)));
    }

    [Theory]
    [InlineData(LinkAction.Acknowledge)]
    [InlineData(LinkAction.Resolve)]
    public void Any_link_is_spent_once_the_incident_is_resolved(LinkAction action)
    {
        Assert.Equal("Incident inc-1 is already resolved by chen.", LinkValidity.Stale(Link(action), Incident(IncidentStatus.Resolved)));
    }

    [Theory]
    [InlineData(LinkAction.Acknowledge, IncidentStatus.Triggered)]
    [InlineData(LinkAction.Resolve, IncidentStatus.Triggered)]
    [InlineData(LinkAction.Resolve, IncidentStatus.Acknowledged)]
    public void Any_link_is_spent_once_the_incident_is_paged_again_in_a_new_cycle(LinkAction action, IncidentStatus status)
    {
        Assert.Contains("paged again", LinkValidity.Stale(Link(action, cycle: 0), Incident(status, cycle: 1)));
    }

    [Fact]
    public void An_acknowledge_link_is_spent_once_its_cycle_was_acknowledged_even_if_escalated_by_hand_since()
    {
        var escalatedByHand = Incident(IncidentStatus.Triggered);
        escalatedByHand.LastAcknowledgedCycle = 1;

        Assert.Contains("already acknowledged", LinkValidity.Stale(Link(LinkAction.Acknowledge), escalatedByHand));
        Assert.Null(LinkValidity.Stale(Link(LinkAction.Resolve), escalatedByHand));
    }
}
