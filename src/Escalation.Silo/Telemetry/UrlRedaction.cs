using System.Diagnostics;
using OpenTelemetry;

namespace Escalation.Silo.Telemetry;

/// <summary>
/// Keeps only the scheme, host and port of the URLs outgoing HTTP spans record: providers put credentials in paths
/// (a Discord webhook's token, a Slack response_url), and a trace backend is no place for them.
/// </summary>
public sealed class UrlRedaction : BaseProcessor<Activity>
{
    private const string UrlFull = "url.full";

    public override void OnEnd(Activity activity)
    {
        if (activity.GetTagItem(UrlFull) is string url && Uri.TryCreate(url, UriKind.Absolute, out var uri))
            activity.SetTag(UrlFull, uri.GetLeftPart(UriPartial.Authority) + "/");
    }
}
