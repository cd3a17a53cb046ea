using Escalation.Silo.Channels;
using Escalation.Silo.Channels.Slack;

namespace Escalation.Tests.Channels.Slack;

public class SlackSignatureTests
{
    // The worked example in Slack's "Verifying requests from Slack".
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string Timestamp = "1531420618";
    private const string Body =
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar"
        + "&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
        + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
        + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    private const string Signature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    private static readonly DateTimeOffset SignedAt = DateTimeOffset.FromUnixTimeSeconds(1531420618);

    [Fact]
    public void Slack_s_published_example_is_valid() =>
        Assert.Equal(SignatureCheck.Valid, SlackSignature.Verify(Secret, Timestamp, Signature, Body, SignedAt));

    [Fact]
    public void Compute_reproduces_Slack_s_published_signature() =>
        Assert.Equal(Signature, SlackSignature.Compute(Secret, Timestamp, Body));

    [Fact]
    public void A_changed_body_is_forged() =>
        Assert.Equal(SignatureCheck.Forged, SlackSignature.Verify(Secret, Timestamp, Signature, Body.Replace("roadrunner", "coyote"), SignedAt));

    [Fact]
    public void A_changed_signature_is_forged() =>
        Assert.Equal(SignatureCheck.Forged, SlackSignature.Verify(Secret, Timestamp, Signature[..^1] + "4", Body, SignedAt));

    [Fact]
    public void Another_secret_is_forged() =>
        Assert.Equal(SignatureCheck.Forged, SlackSignature.Verify("another-secret", Timestamp, Signature, Body, SignedAt));

    [Fact]
    public void A_signature_for_another_timestamp_is_forged() =>
        Assert.Equal(SignatureCheck.Forged, SlackSignature.Verify(Secret, "1531420619", Signature, Body, SignedAt));

    [Theory]
    [InlineData("v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    [InlineData("a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    [InlineData("V0=A2114D57B48EAC39B9AD189DD8316235A7B4A8D21A10BD27519666489C69B503")]
    [InlineData("v0=")]
    public void Anything_but_the_exact_signature_is_forged(string signature) =>
        Assert.Equal(SignatureCheck.Forged, SlackSignature.Verify(Secret, Timestamp, signature, Body, SignedAt));

    [Theory]
    [InlineData("soon")]
    [InlineData("-1531420618")]
    [InlineData(" 1531420618")]
    [InlineData("1531420618.5")]
    public void A_timestamp_that_is_not_unix_seconds_is_forged(string timestamp) =>
        Assert.Equal(SignatureCheck.Forged, SlackSignature.Verify(Secret, timestamp, Signature, Body, SignedAt));

    [Theory]
    [InlineData(6)]
    [InlineData(-6)]
    public void Six_minutes_either_way_is_stale(int minutes) =>
        Assert.Equal(SignatureCheck.Stale, SlackSignature.Verify(Secret, Timestamp, Signature, Body, SignedAt.AddMinutes(minutes)));

    [Theory]
    [InlineData(5)]
    [InlineData(-5)]
    public void Five_minutes_either_way_is_still_fresh(int minutes) =>
        Assert.Equal(SignatureCheck.Valid, SlackSignature.Verify(Secret, Timestamp, Signature, Body, SignedAt.AddMinutes(minutes)));

    [Theory]
    [InlineData(null, Signature)]
    [InlineData(Timestamp, null)]
    [InlineData("", Signature)]
    [InlineData(Timestamp, "")]
    [InlineData(null, null)]
    public void Without_both_headers_it_is_missing(string? timestamp, string? signature) =>
        Assert.Equal(SignatureCheck.Missing, SlackSignature.Verify(Secret, timestamp, signature, Body, SignedAt));

    [Fact]
    public void Without_a_signing_secret_nothing_is_valid() =>
        Assert.Equal(SignatureCheck.Missing, SlackSignature.Verify("", Timestamp, SlackSignature.Compute("", Timestamp, Body), Body, SignedAt));
}
