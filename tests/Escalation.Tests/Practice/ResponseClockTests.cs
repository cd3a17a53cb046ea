using Escalation.Incidents;
using Escalation.Practice;

namespace Escalation.Tests.Practice;

public sealed class ResponseClockTests
{
    private static readonly DateTimeOffset Opened = new(2026, 12, 7, 1, 0, 0, TimeSpan.Zero);

    private static IncidentState Incident(ResponseTarget? targets) => new()
    {
        Id = "inc", CreatedAt = Opened, Status = IncidentStatus.Triggered, Targets = targets,
        Cycles = [new ResponseCycle { Cycle = 0, StartedAt = Opened }],
    };

    [Fact]
    public void The_next_mark_is_the_earliest_warning_not_noted()
    {
        var s = Incident(new ResponseTarget(TimeSpan.FromMinutes(15), TimeSpan.FromHours(1)));
        Assert.Equal(Opened.AddMinutes(12), ResponseClock.Next(s));
        s.TargetsNoted.Add("P1/acknowledge/0/warning");
        Assert.Equal(Opened.AddMinutes(15), ResponseClock.Next(s));
        s.Cycles[0].RespondedAt = Opened.AddMinutes(14);
        s.Status = IncidentStatus.Acknowledged;
        Assert.Equal(Opened.AddMinutes(48), ResponseClock.Next(s));
        s.Status = IncidentStatus.Resolved;
        Assert.Null(ResponseClock.Next(s));
    }

    [Fact]
    public void A_mark_noted_late_tells_only_the_miss_and_settles_its_warning()
    {
        var s = Incident(new ResponseTarget(TimeSpan.FromMinutes(15), TimeSpan.FromHours(1)));
        var due = ResponseClock.Due(s, Opened.AddMinutes(50));
        Assert.Equal(["target_missed", "target_warning"], due.Select(m => m.Type));
        Assert.Equal(["P1/acknowledge/0/warning", "P1/acknowledge/0/missed"], due[0].Covers);
        Assert.Equal(["P1/resolve/warning"], due[1].Covers);
        foreach (var mark in due) s.TargetsNoted.AddRange(mark.Covers);
        Assert.Empty(ResponseClock.Due(s, Opened.AddMinutes(50)));
        Assert.Equal(Opened.AddHours(1), ResponseClock.Next(s));
    }

    [Fact]
    public void A_new_priority_tells_its_own_targets_though_the_old_ones_were_told()
    {
        var s = Incident(ResponseTargets.DefaultP1);
        s.TargetsNoted.AddRange(["P1/acknowledge/0/warning", "P1/resolve/warning"]);
        (s.Priority, s.Targets) = (Escalation.Routing.Priority.P3, ResponseTargets.DefaultP3);
        Assert.Equal(Opened.AddMinutes(96), ResponseClock.Next(s));
    }

    [Fact]
    public void A_cycle_its_source_resolved_unanswered_is_missed_only_if_it_outlived_the_target()
    {
        var s = Incident(new ResponseTarget(TimeSpan.FromMinutes(15), null));
        (s.Status, s.ResolvedAt) = (IncidentStatus.Resolved, Opened.AddMinutes(10));
        Assert.Null(ResponseTimes.Of(s, Opened.AddHours(1)).AcknowledgeTargetMet);
        Assert.Empty(SliEvent.Of(s, new AcknowledgementSlo(Escalation.Routing.Priority.P1, 0.99, TimeSpan.FromMinutes(15), TimeSpan.FromDays(30)), Opened.AddHours(1)));
        s.ResolvedAt = Opened.AddMinutes(20);
        Assert.False(ResponseTimes.Of(s, Opened.AddHours(1)).AcknowledgeTargetMet);
        Assert.False(Assert.Single(SliEvent.Of(s, new AcknowledgementSlo(Escalation.Routing.Priority.P1, 0.99, TimeSpan.FromMinutes(15), TimeSpan.FromDays(30)), Opened.AddHours(1))).Good);
    }

    [Fact]
    public void An_incident_stored_before_cycles_were_kept_counts_as_one_cycle_to_its_acknowledgement()
    {
        var s = Incident(ResponseTargets.DefaultP1);
        s.Cycles.Clear();
        (s.Status, s.AcknowledgedAt, s.AcknowledgedBy) = (IncidentStatus.Acknowledged, Opened.AddMinutes(7), "aiko");
        var times = ResponseTimes.Of(s, Opened.AddHours(1));
        Assert.Equal((TimeSpan.FromMinutes(7), true), (times.TimeToAcknowledge!.Value, times.AcknowledgeTargetMet!.Value));
    }

    [Fact]
    public void Warnings_fall_on_whole_seconds_and_no_target_means_no_marks()
    {
        var s = Incident(new ResponseTarget(TimeSpan.FromSeconds(61), null));
        Assert.Equal(Opened.AddSeconds(49), ResponseClock.Next(s));
        Assert.Null(ResponseClock.Next(Incident(null)));
    }

    [Fact]
    public void Response_times_are_unknown_while_running_and_missed_once_past_the_target()
    {
        var s = Incident(new ResponseTarget(TimeSpan.FromMinutes(15), TimeSpan.FromHours(1)));
        var running = ResponseTimes.Of(s, Opened.AddMinutes(10));
        Assert.Equal((null, null, null), (running.TimeToAcknowledge, running.AcknowledgeTargetMet, running.ResolveTargetMet));
        var late = ResponseTimes.Of(s, Opened.AddMinutes(61));
        Assert.Equal((false, false), (late.AcknowledgeTargetMet!.Value, late.ResolveTargetMet!.Value));
    }
}
