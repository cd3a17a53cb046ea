using System.Net;
using System.Net.Sockets;

namespace Escalation.Monitors;

/// <summary>
/// Keeps the HTTP checker from being turned on the cloud's metadata service or other link-local addresses (request
/// forgery through the checker). Checked when a check is configured (a literal address or a metadata host name) and
/// again at every connection, against the address the name resolved to then.
/// </summary>
public static class RequestForgeryGuard
{
    private static readonly HashSet<string> MetadataHosts = ["metadata", "metadata.google.internal", "metadata.goog", "metadata.azure.com", "instance-data", "instance-data.ec2.internal"];

    private static readonly IPAddress[] MetadataAddresses =
    [
        IPAddress.Parse("169.254.169.254"), IPAddress.Parse("169.254.170.2"), IPAddress.Parse("100.100.100.200"), IPAddress.Parse("fd00:ec2::254"),
    ];

    public static bool IsMetadataHost(string host) => MetadataHosts.Contains(host.TrimEnd('.').ToLowerInvariant());

    /// <summary>A link-local address (169.254.0.0/16, fe80::/10) or a known cloud metadata address, IPv4-mapped ones included.</summary>
    public static bool IsForbidden(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (MetadataAddresses.Contains(address)) return true;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var bytes = address.GetAddressBytes();
            return bytes[0] == 169 && bytes[1] == 254;
        }
        return address.IsIPv6LinkLocal;
    }
}
