using Escalation.Configuration;
using Escalation.Incidents;
using Escalation.Storage.Configuration;
using Escalation.Storage.Sms;

namespace Escalation.Silo.Channels.Twilio;

/// <summary>Turns an SMS reply into the incident command it names and the text that answers it.</summary>
public sealed class SmsReplyHandler(SmsReplyCodes codes, SmsOptOuts optOuts, ConfigurationStore store, IGrainFactory grains, TimeProvider clock)
{
    private const string Note = "via SMS";

    public async Task<string> Answer(string from, User? user, SmsCommand command)
    {
        switch (command)
        {
            case SmsCommand.Stop:
                // Twilio has blocked the number already. Recorded, it turns SMS off for the number's user: their pages
                // go to their next channel, and the user shows sms_stopped_at.
                await optOuts.Stop(from, clock.GetUtcNow());
                store.ForgetCached();
                return SmsPageText.Stopped();
            case SmsCommand.Start:
                await optOuts.Start(from);
                store.ForgetCached();
                return "SMS pages are on again for this number.";
        }
        if (user is null) return "This number is not linked to an Escalation user. Ask an admin to add it to your user.";

        return command switch
        {
            SmsCommand.Act act => await Act(from, user, act),
            SmsCommand.AcknowledgeAll => SmsPageText.AcknowledgedAll(await ForEachOpen(from, user, IncidentCommand.Acknowledge)),
            SmsCommand.ResolveAll => SmsPageText.ResolvedAll(await ForEachOpen(from, user, IncidentCommand.Resolve)),
            _ => SmsPageText.Help(),
        };
    }

    private async Task<string> Act(string from, User user, SmsCommand.Act act)
    {
        if (await codes.IncidentFor(from, act.Code) is not { } incidentId) return SmsPageText.NoSuchCode(act.Code);
        var command = act.Action switch
        {
            SmsAction.Acknowledge => IncidentCommand.Acknowledge,
            SmsAction.Resolve => IncidentCommand.Resolve,
            _ => IncidentCommand.Escalate,
        };
        var result = await grains.Run(incidentId, command, user.Id, Note);
        if (result.Outcome != CommandOutcome.Done) return result.Message ?? "Nothing was changed.";
        var title = (await grains.GetGrain<IIncidentGrain>(incidentId).Get())?.Title ?? "";
        return command switch
        {
            IncidentCommand.Acknowledge => SmsPageText.Acknowledged(incidentId, title),
            IncidentCommand.Resolve => SmsPageText.Resolved(incidentId, title),
            _ => SmsPageText.Escalated(incidentId, title),
        };
    }

    /// <summary>"aa" and "cc": every incident this number holds a code for that is still open.</summary>
    private async Task<int> ForEachOpen(string from, User user, IncidentCommand command)
    {
        var done = 0;
        foreach (var incidentId in await codes.OpenIncidents(from, includeAcknowledged: command == IncidentCommand.Resolve))
            if ((await grains.Run(incidentId, command, user.Id, Note)).Outcome == CommandOutcome.Done) done++;
        return done;
    }
}
