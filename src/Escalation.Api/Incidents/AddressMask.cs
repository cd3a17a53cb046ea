namespace Escalation.Api.Incidents;

/// <summary>Enough of an address to tell which one was used, not enough to harvest it from the API.</summary>
public static class AddressMask
{
    public static string Mask(string address)
    {
        if (address.StartsWith('+') && address.Length > 6)
            return address[..3] + new string('•', address.Length - 7) + address[^4..];
        var at = address.IndexOf('@');
        if (at > 0) return address[0] + "•••" + address[at..];
        return address; // Slack user and channel ids are not secret
    }
}
