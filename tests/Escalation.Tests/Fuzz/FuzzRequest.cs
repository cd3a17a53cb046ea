using System.Text;

namespace Escalation.Tests.Fuzz;

public enum Signing
{
    None,
    Slack,
    Twilio,
}

/// <summary>One generated request. Webhook signatures are made when it is sent (Slack's carry the time).</summary>
public sealed record FuzzRequest(string Method, string Path, string? ContentType, byte[]? Body, string? Authorization, Signing Signing = Signing.None, bool SignedRight = true)
{
    public string BodyText => Body is null ? "" : Encoding.UTF8.GetString(Body);

    public override string ToString()
    {
        var body = BodyText;
        if (body.Length > 300) body = body[..300] + $"... ({Body!.Length} bytes)";
        var path = Path.Length > 300 ? Path[..300] + "..." : Path;
        return $"{Method} {path} content-type={ContentType ?? "(none)"} auth={(Authorization is null ? "none" : Authorization.Length > 40 ? Authorization[..40] + "..." : Authorization)} signing={Signing}{(Signing == Signing.None ? "" : SignedRight ? "/right" : "/wrong")} body={body}";
    }
}
