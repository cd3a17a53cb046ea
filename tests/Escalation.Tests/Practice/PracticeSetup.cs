using Escalation.Configuration;
using Escalation.Practice;
using Escalation.Storage.Configuration;
using Escalation.Tests.Grains;

namespace Escalation.Tests.Practice;

/// <summary>The grain tests' on-call setup, with the service posting in a Slack channel and the first responder on Slack.</summary>
public static class PracticeSetup
{
    public const string SlackChannel = "C0INCIDENTS";

    public static async Task Load(ConfigurationStore store, ResponseTargets? targets = null, StatusUpdatePolicy? statusUpdates = null,
        TimeSpan? acknowledgementTimeout = null)
    {
        await OnCallSetup.Load(store, acknowledgementTimeout);
        await store.Put(ConfigurationStore.Tables.Users, "oncall", new User("oncall", "On-call", "oncall@example.com", null, "U0ONCALL", "Asia/Tokyo"));
        await store.Put(ConfigurationStore.Tables.Services, OnCallSetup.ServiceId,
            new Service(OnCallSetup.ServiceId, "Checkout", "default", "0123456789abcdef0123456789abcdef", acknowledgementTimeout,
                SlackChannel: SlackChannel, ResponseTargets: targets, StatusUpdates: statusUpdates));
    }
}
