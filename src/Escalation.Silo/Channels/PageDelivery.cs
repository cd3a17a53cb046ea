using Escalation.Configuration;
using Escalation.Incidents;
using Escalation.Notifications;

namespace Escalation.Silo.Channels;

/// <summary>Everything a channel needs to render and send one page or channel post.</summary>
public sealed record PageDelivery(PageRequest Request, IncidentState Incident, Service? Service, User? User, string Address);

/// <summary>Everything a channel needs to send one rotation announcement.</summary>
public sealed record AnnouncementDelivery(AnnouncementRequest Request, User? User, string Address);
