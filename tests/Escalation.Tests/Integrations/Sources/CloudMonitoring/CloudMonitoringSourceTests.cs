using Escalation.Alerts;
using Escalation.Api.Integrations;
using Escalation.Api.Integrations.Sources.CloudMonitoring;
using Escalation.Incidents;
using Escalation.Storage.Integrations;
using static Escalation.Tests.Integrations.Sources.SourceRequests;

namespace Escalation.Tests.Integrations.Sources.CloudMonitoring;

public class CloudMonitoringSourceTests
{
    /// <summary>
    /// The schema example of cloud.google.com/monitoring/support/notification-options#webhooks (version 1.2), as
    /// "open", with the severity and documentation links newer policies add (cloud.google.com/monitoring/alerts/doc-variables).
    /// </summary>
    internal const string Open = """
        {
          "incident": {
            "incident_id": "0.opqiw61fsv7p",
            "scoping_project_id": "internal-project",
            "scoping_project_number": 12345,
            "url": "https://console.cloud.google.com/monitoring/alerting/incidents/0.lxfiw61fsv7p?project=internal-project",
            "severity": "CRITICAL",
            "started_at": 1577840461,
            "ended_at": null,
            "state": "open",
            "resource_id": "11223344",
            "resource_name": "internal-project gke-cluster-1-default-pool-e2df4cbd-dgp3",
            "resource_display_name": "gke-cluster-1-default-pool-e2df4cbd-dgp3",
            "resource_type_display_name": "VM Instance",
            "resource": {"type": "gce_instance", "labels": {"instance_id": "11223344", "project_id": "internal-project", "zone": "us-central1-c"}},
            "metric": {"type": "compute.googleapis.com/instance/cpu/utilization", "displayName": "CPU utilization", "labels": {"instance_name": "the name of the VM instance"}},
            "metadata": {"system_labels": {"labelkey": "labelvalue"}, "user_labels": {"labelkey": "labelvalue"}},
            "policy_name": "Monitor-Project-Cluster",
            "policy_user_labels": {"user-label-1": "important label", "zone": "from-the-policy"},
            "condition_name": "VM Instance - CPU utilization [MAX]",
            "threshold_value": "0.9",
            "observed_value": "0.835",
            "documentation": {
              "content": "TEST ALERT",
              "mime_type": "text/markdown",
              "subject": "ALERT - CPU",
              "links": [{"displayName": "Playbook", "url": "https://wiki.example.com/playbook/cpu"}]
            },
            "summary": "CPU utilization for internal-project gke-cluster-1-16-default-pool-e2df4cbd-dgp3 with metric labels {instance_name=gke-cluster-1-default-pool-e2df4cbd-dgp3} is above the threshold of 0.9 with a value of 0.935."
          },
          "version": "1.2"
        }
        """;

    /// <summary>The same doc page's example as it is there: closed, no severity, no links.</summary>
    internal const string Closed = """
        {"incident": {"incident_id": "0.opqiw61fsv7p", "scoping_project_id": "internal-project",
          "url": "https://console.cloud.google.com/monitoring/alerting/incidents/0.lxfiw61fsv7p?project=internal-project",
          "started_at": 1577840461, "ended_at": 1577877071, "state": "closed",
          "policy_name": "Monitor-Project-Cluster", "condition_name": "VM Instance - CPU utilization [MAX]",
          "summary": "CPU utilization for internal-project gke-cluster-1-16-default-pool-e2df4cbd-dgp3 returned to normal with a value of 0.835."},
         "version": "1.2"}
        """;

    private readonly CloudMonitoringSource source = new();
    private readonly Integration integration = Integration("cloud-monitoring");

    private SourceResult Read(string body) => source.Read(For(integration, body));

    [Fact]
    public void An_open_incident_triggers_with_its_severity_links_and_labels()
    {
        var alert = Read(Open).Single();
        Assert.Equal(AlertAction.Trigger, alert.Action);
        Assert.Equal("0.opqiw61fsv7p", alert.DedupKey);
        Assert.StartsWith("CPU utilization for internal-project", alert.Summary);
        Assert.Equal(Severity.Critical, alert.Severity);
        Assert.Equal("gke-cluster-1-default-pool-e2df4cbd-dgp3", alert.Source);
        Assert.Equal("cloud-monitoring", alert.Client);
        Assert.Equal(["https://console.cloud.google.com/monitoring/alerting/incidents/0.lxfiw61fsv7p?project=internal-project",
            "https://wiki.example.com/playbook/cpu"], alert.LinksOrEmpty.Select(l => l.Href));
        Assert.Equal("Playbook", alert.LinksOrEmpty[1].Text);
        Assert.Equal("11223344", alert.LabelsOrEmpty["instance_id"]);
        Assert.Equal("the name of the VM instance", alert.LabelsOrEmpty["instance_name"]);
        Assert.Equal("important label", alert.LabelsOrEmpty["user-label-1"]);
        Assert.Equal("from-the-policy", alert.LabelsOrEmpty["zone"]); // the policy's own label wins over the resource's
        Assert.Contains("0.835", alert.DetailsJson);
    }

    [Fact]
    public void A_closed_incident_resolves_the_same_key()
    {
        var resolve = Read(Closed).Single();
        Assert.Equal(AlertAction.Resolve, resolve.Action);
        Assert.Equal(Read(Open).Single().DedupKey, resolve.DedupKey);
    }

    [Theory]
    [InlineData("CRITICAL", Severity.Critical)]
    [InlineData("Error", Severity.Error)]
    [InlineData("WARNING", Severity.Warning)]
    [InlineData("No severity", null)]
    [InlineData("SEVERITY_UNSPECIFIED", null)]
    public void Severity_comes_from_the_policy(string given, Severity? expected) =>
        Assert.Equal(expected, Read(Open.Replace("\"CRITICAL\"", $"\"{given}\"")).Single().Severity);

    [Fact]
    public void Without_a_summary_it_is_the_policy_and_condition() =>
        Assert.Equal("p: c", Read("""{"version": "1.2", "incident": {"incident_id": "1", "state": "open", "policy_name": "p", "condition_name": "c"}}""").Single().Summary);

    [Theory]
    [InlineData("""{"incident": {"incident_id": "1", "state": "open"}}""", "'version' is missing")]
    [InlineData("""{"version": "1.1", "incident": {"incident_id": "1", "state": "open"}}""", "'version' must be \"1.2\"")]
    [InlineData("""{"version": "2.0", "incident": {}}""", "'version' must be \"1.2\"")]
    [InlineData("""{"version": "1.2"}""", "'incident' is missing")]
    [InlineData("""{"version": "1.2", "incident": {"state": "open"}}""", "'incident.incident_id' is missing")]
    [InlineData("""{"version": "1.2", "incident": {"incident_id": "1"}}""", "'incident.state'")]
    [InlineData("""{"version": "1.2", "incident": {"incident_id": "1", "state": "burning"}}""", "'incident.state'")]
    [InlineData("""[]""", "JSON object")]
    public void Payloads_missing_fields_are_invalid_naming_them(string body, string error) =>
        Assert.Contains(error, Assert.Single(Read(body).Is<SourceResult.Invalid>().Errors));

    [Fact]
    public void A_long_summary_with_escaped_unicode_is_cut_to_1024_characters()
    {
        var alert = Read("""{"version": "1.2", "incident": {"incident_id": "1", "state": "open", "summary": "\u30c7\u30a3\u30b9\u30af""" +
                         new string('!', 3000) + "\"}}").Single();
        Assert.Equal(1024, alert.Summary.Length);
        Assert.StartsWith("ディスク", alert.Summary);
        Assert.EndsWith("…", alert.Summary);
    }
}
