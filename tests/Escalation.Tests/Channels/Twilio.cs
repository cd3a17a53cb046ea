using Escalation.Tests.Api;

namespace Escalation.Tests.Channels;

/// <summary>Requests as Twilio sends them to the service: form-encoded and signed over the public URL.</summary>
public static class Twilio
{
    public static async Task<string> Reply(EscalationApp app, string from, string text, string messageSid)
    {
        var response = await Send(app, "/webhooks/twilio/sms",
        [
            new("MessageSid", messageSid), new("AccountSid", ProviderFakes.TwilioAccountSid), new("From", from), new("To", ProviderFakes.TwilioFrom), new("Body", text),
        ]);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return body;
    }

    public static Task<HttpResponseMessage> Status(EscalationApp app, string messageSid, string status, string? errorCode = null)
    {
        var form = new List<KeyValuePair<string, string>> { new("MessageSid", messageSid), new("MessageStatus", status), new("AccountSid", ProviderFakes.TwilioAccountSid) };
        if (errorCode is not null) form.Add(new("ErrorCode", errorCode));
        return Send(app, "/webhooks/twilio/status", form);
    }

    private static Task<HttpResponseMessage> Send(EscalationApp app, string path, List<KeyValuePair<string, string>> form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", ProviderSignatures.Twilio(ProviderFakes.TwilioAuthToken, $"{ProviderFakes.PublicBaseUrl}{path}", form));
        return app.Client(key: null).SendAsync(request);
    }
}
