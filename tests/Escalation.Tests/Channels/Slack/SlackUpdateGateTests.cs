using Escalation.Storage.Deliveries;
using Escalation.Incidents;
using Escalation.Notifications;
using Escalation.Silo.Channels.Slack;
using Escalation.Silo.Notifications;

namespace Escalation.Tests.Channels.Slack;

public class SlackUpdateGateTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);
    private const string Post = "inc/post/slack";
    private const string Dm = "inc/0.1.0/aiko/slack";
    private const string Ack = "inc/slack-update/3";
    private const string Resolve = "inc/slack-update/4";

    private static IncidentState Incident(params NotificationRecord[] notifications) => new() { Id = "inc", Notifications = [.. notifications] };

    private static NotificationRecord Record(string id, NotificationKind kind, NotificationStatus status = NotificationStatus.Pending, string channel = ChannelNames.Slack) =>
        new() { Id = id, Kind = kind, Level = 1, Loop = 0, Cycle = 0, UserId = "", Channel = channel, Status = status, CreatedAt = Now };

    private static ChannelMessage Row(string id, DeliveryStatus status) => new(id, status, status == DeliveryStatus.Sent ? "C1/1.0" : null, null);

    private static readonly NotificationRecord PostRecord = Record(Post, NotificationKind.ChannelPost);
    private static readonly NotificationRecord DmRecord = Record(Dm, NotificationKind.Page);
    private static readonly NotificationRecord AckRecord = Record(Ack, NotificationKind.SlackUpdate);
    private static readonly NotificationRecord ResolveRecord = Record(Resolve, NotificationKind.SlackUpdate);

    [Fact]
    public void An_update_waits_while_a_message_is_being_sent_and_for_a_channel_post_not_yet_claimed()
    {
        var incident = Incident(PostRecord, DmRecord, AckRecord);

        Assert.True(SlackUpdateGate.MustWait(Ack, incident, [Row(Post, DeliveryStatus.Sent), Row(Dm, DeliveryStatus.Sending)], Now));
        Assert.True(SlackUpdateGate.MustWait(Ack, incident, [Row(Dm, DeliveryStatus.Sent)], Now));
        Assert.False(SlackUpdateGate.MustWait(Ack, incident, [Row(Post, DeliveryStatus.Sent), Row(Dm, DeliveryStatus.Sent)], Now));
        // A DM not claimed yet reads the incident when it is: nothing to wait for.
        Assert.False(SlackUpdateGate.MustWait(Ack, incident, [Row(Post, DeliveryStatus.Failed)], Now));
    }

    [Fact]
    public void An_update_waits_for_the_earlier_ones_but_not_for_messages_written_after_it()
    {
        var incident = Incident(PostRecord, AckRecord, Record("inc/0.2.0/ben/slack", NotificationKind.Page), ResolveRecord);
        var sent = Row(Post, DeliveryStatus.Sent);

        Assert.True(SlackUpdateGate.MustWait(Resolve, incident, [sent], Now));
        Assert.True(SlackUpdateGate.MustWait(Resolve, incident, [sent, Row(Ack, DeliveryStatus.Sending)], Now));
        Assert.False(SlackUpdateGate.MustWait(Resolve, incident, [sent, Row(Ack, DeliveryStatus.Sent)], Now));
        Assert.False(SlackUpdateGate.MustWait(Ack, incident, [sent, Row("inc/0.2.0/ben/slack", DeliveryStatus.Sending)], Now));
    }

    [Fact]
    public void An_update_stops_waiting_after_its_patience_runs_out()
    {
        var incident = Incident(PostRecord, AckRecord);

        Assert.True(SlackUpdateGate.MustWait(Ack, incident, [Row(Post, DeliveryStatus.Sending)], Now + SlackUpdateGate.Patience));
        Assert.False(SlackUpdateGate.MustWait(Ack, incident, [Row(Post, DeliveryStatus.Sending)], Now + SlackUpdateGate.Patience + TimeSpan.FromSeconds(1)));
    }
}
