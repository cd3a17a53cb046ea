using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Escalation.Silo.Channels.SendGrid;

namespace Escalation.Tests.Channels.Email;

public class ActionLinkSignerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly ActionLink Link = new("inc-1", 2, "user-1", LinkAction.Acknowledge, Now.AddHours(1));

    private readonly ActionLinkSigner _signer = new(Key);

    private static string SignedByTheKey(string payloadJson)
    {
        var payload = Encoding.UTF8.GetBytes(payloadJson);
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(Key, payload));
    }

    [Theory]
    [InlineData(LinkAction.Acknowledge)]
    [InlineData(LinkAction.Resolve)]
    public void A_token_reads_back_as_the_link_it_was_made_from(LinkAction action)
    {
        var link = Link with { Action = action };

        var check = _signer.Read(_signer.Create(link), Now, out var read);

        Assert.Equal(LinkCheck.Valid, check);
        Assert.Equal(link, read);
    }

    [Theory]
    [InlineData("svc/db:prod-1", "team/ops:alice-2")]
    [InlineData("a.b|c", "x|y.z")]
    [InlineData(".", "|")]
    [InlineData("{\"i\":\"x\"}", "ünïcødé 🚨")]
    public void Ids_with_separators_and_quotes_round_trip(string incidentId, string userId)
    {
        var link = new ActionLink(incidentId, 0, userId, LinkAction.Resolve, Now.AddMinutes(5));

        Assert.Equal(LinkCheck.Valid, _signer.Read(_signer.Create(link), Now, out var read));
        Assert.Equal(link, read);
    }

    [Fact]
    public void A_token_is_safe_in_a_url_as_it_is()
    {
        var token = _signer.Create(Link with { IncidentId = "a/b?c=d&e#f", UserId = "+/=" });

        Assert.Matches("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$", token);
    }

    [Fact]
    public void Expiry_is_kept_to_the_second_rounded_down()
    {
        var token = _signer.Create(Link with { ExpiresAt = Now.AddHours(1).AddMilliseconds(900) });

        _signer.Read(token, Now, out var read);

        Assert.Equal(Now.AddHours(1), read!.ExpiresAt);
    }

    [Fact]
    public void A_changed_payload_is_forged()
    {
        var parts = _signer.Create(Link).Split('.');
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[0])).Replace("user-1", "user-2");
        var tampered = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload)) + "." + parts[1];

        Assert.Equal(LinkCheck.Forged, _signer.Read(tampered, Now, out var read));
        Assert.Null(read);
    }

    [Fact]
    public void A_changed_signature_is_forged()
    {
        var parts = _signer.Create(Link).Split('.');
        var signature = Base64Url.DecodeFromChars(parts[1]);
        signature[^1] ^= 1;

        Assert.Equal(LinkCheck.Forged, _signer.Read(parts[0] + "." + Base64Url.EncodeToString(signature), Now, out _));
    }

    [Fact]
    public void One_links_signature_does_not_vouch_for_another()
    {
        var acknowledge = _signer.Create(Link).Split('.');
        var resolve = _signer.Create(Link with { Action = LinkAction.Resolve }).Split('.');

        Assert.Equal(LinkCheck.Forged, _signer.Read(resolve[0] + "." + acknowledge[1], Now, out _));
    }

    [Fact]
    public void A_token_signed_with_another_key_is_forged()
    {
        var other = new ActionLinkSigner(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());

        Assert.Equal(LinkCheck.Forged, _signer.Read(other.Create(Link), Now, out var read));
        Assert.Null(read);
    }

    [Fact]
    public void A_token_at_or_past_its_expiry_is_expired_but_still_says_what_it_was_for()
    {
        var token = _signer.Create(Link);

        Assert.Equal(LinkCheck.Valid, _signer.Read(token, Link.ExpiresAt.AddSeconds(-1), out _));
        Assert.Equal(LinkCheck.Expired, _signer.Read(token, Link.ExpiresAt, out var read));
        Assert.Equal(Link, read);
        Assert.Equal(LinkCheck.Expired, _signer.Read(token, Link.ExpiresAt.AddDays(3), out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(".")]
    [InlineData("abc")]
    [InlineData("abc.")]
    [InlineData(".abc")]
    [InlineData("a.b.c")]
    [InlineData("!!!.???")]
    [InlineData("eyJpIjoieCJ9.c2hvcnQ")]
    [InlineData("<script>alert(1)</script>")]
    public void Garbage_is_malformed_and_never_throws(string? token)
    {
        Assert.Equal(LinkCheck.Malformed, _signer.Read(token, Now, out var read));
        Assert.Null(read);
    }

    [Fact]
    public void A_very_long_token_is_malformed()
    {
        Assert.Equal(LinkCheck.Malformed, _signer.Read(new string('a', 100_000) + ".b", Now, out _));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[1,2]")]
    [InlineData("not json")]
    [InlineData("{\"i\":\"x\",\"c\":0,\"u\":\"y\",\"a\":\"delete\",\"e\":1900000000}")]
    [InlineData("{\"i\":\"\",\"c\":0,\"u\":\"y\",\"a\":\"ack\",\"e\":1900000000}")]
    [InlineData("{\"i\":\"x\",\"c\":0,\"u\":\"y\",\"a\":\"ack\"}")]
    [InlineData("{\"i\":\"x\",\"c\":0,\"u\":\"y\",\"a\":\"ack\",\"e\":99999999999999999}")]
    [InlineData("{\"i\":\"x\",\"u\":\"y\",\"a\":\"ack\",\"e\":1900000000}")]
    [InlineData("{\"i\":\"x\",\"c\":-1,\"u\":\"y\",\"a\":\"ack\",\"e\":1900000000}")]
    [InlineData("{\"i\":\"x\",\"c\":\"0\",\"u\":\"y\",\"a\":\"ack\",\"e\":1900000000}")]
    public void A_signed_payload_that_is_not_a_link_is_malformed(string payloadJson)
    {
        Assert.Equal(LinkCheck.Malformed, _signer.Read(SignedByTheKey(payloadJson), Now, out var read));
        Assert.Null(read);
    }

    [Fact]
    public void A_key_shorter_than_32_bytes_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new ActionLinkSigner(new byte[31]));
        _ = new ActionLinkSigner(new byte[32]);
    }
}
