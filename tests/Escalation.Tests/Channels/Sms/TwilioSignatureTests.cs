using Escalation.Silo.Channels.Twilio;

namespace Escalation.Tests.Channels.Sms;

public class TwilioSignatureTests
{
    private const string AuthToken = "12345";
    private const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";

    // Twilio's published example ("Validating requests"; the api-snippets repository's signature_validation samples and
    // the twilio-php validation guide): the two revisions differ only in the caller's number.
    [Theory]
    [InlineData("+14158675310", "GvWf1cFY/Q7PnoempGyD5oXAezc=")]
    [InlineData("+14158675309", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")]
    public void Matches_twilios_published_example(string caller, string expected)
    {
        var form = ExampleForm(caller);

        Assert.Equal(expected, TwilioSignature.Compute(AuthToken, Url, form));
        Assert.True(TwilioSignature.Verify(AuthToken, Url, form, expected));
    }

    [Fact]
    public void The_order_parameters_arrive_in_does_not_matter()
    {
        var shuffled = ExampleForm("+14158675310").AsEnumerable().Reverse();

        Assert.True(TwilioSignature.Verify(AuthToken, Url, shuffled, "GvWf1cFY/Q7PnoempGyD5oXAezc="));
    }

    [Fact]
    public void A_forged_parameter_value_fails()
    {
        var forged = ExampleForm("+14158675310").Select(p => p.Key == "Digits" ? KeyValuePair.Create("Digits", "9999") : p);

        Assert.False(TwilioSignature.Verify(AuthToken, Url, forged, "GvWf1cFY/Q7PnoempGyD5oXAezc="));
    }

    [Fact]
    public void An_added_parameter_fails()
    {
        var padded = ExampleForm("+14158675310").Append(KeyValuePair.Create("Body", "1a"));

        Assert.False(TwilioSignature.Verify(AuthToken, Url, padded, "GvWf1cFY/Q7PnoempGyD5oXAezc="));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("GvWf1cFY/Q7PnoempGyD5oXAez")]
    [InlineData("not a signature")]
    public void A_missing_or_malformed_header_fails(string? header) =>
        Assert.False(TwilioSignature.Verify(AuthToken, Url, ExampleForm("+14158675310"), header));

    [Theory]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=3")]
    [InlineData("https://mycompany.com/myapp.php")]
    [InlineData("http://mycompany.com/myapp.php?foo=1&bar=2")]
    [InlineData("https://evil.example/myapp.php?foo=1&bar=2")]
    public void A_different_url_fails(string url) =>
        Assert.False(TwilioSignature.Verify(AuthToken, url, ExampleForm("+14158675310"), "GvWf1cFY/Q7PnoempGyD5oXAezc="));

    [Fact]
    public void Another_auth_token_fails() =>
        Assert.False(TwilioSignature.Verify("54321", Url, ExampleForm("+14158675310"), "GvWf1cFY/Q7PnoempGyD5oXAezc="));

    private static List<KeyValuePair<string, string>> ExampleForm(string caller) =>
    [
        KeyValuePair.Create("CallSid", "CA1234567890ABCDE"),
        KeyValuePair.Create("Caller", caller),
        KeyValuePair.Create("Digits", "1234"),
        KeyValuePair.Create("From", caller),
        KeyValuePair.Create("To", "+18005551212"),
    ];
}
