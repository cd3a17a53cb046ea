using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Escalation.Silo.Channels.Twilio;

/// <summary>
/// The one Twilio call this service makes: create a Message (send an SMS). The <see cref="HttpClient"/> comes from
/// <c>IHttpClientFactory</c>; its Timeout bounds the whole call.
/// </summary>
public sealed class TwilioClient(HttpClient http, IOptions<TwilioOptions> options)
{
    public async Task<DeliveryOutcome> SendSms(string to, string body, Uri? statusCallback, CancellationToken ct)
    {
        var settings = options.Value;
        if (!settings.Configured)
        {
            return new DeliveryOutcome.Permanent("twilio: not configured (account SID, auth token and a sender are required)");
        }
        if (statusCallback is { IsAbsoluteUri: false })
        {
            throw new ArgumentException("The status callback must be an absolute URL.", nameof(statusCallback));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, MessagesUrl(settings))
        {
            Content = new FormUrlEncodedContent(Fields(settings, to, body, statusCallback)),
        };
        request.Headers.Authorization = BasicAuth(settings);

        // A call that fails in flight may or may not have queued the message: sending again may send twice, which beats not paging.
        return await ProviderCallFailure.Call("twilio", "Messages", async () =>
        {
            using var response = await http.SendAsync(request, ct);
            return await Outcome(response, ct);
        }, ct);
    }

    private static string MessagesUrl(TwilioOptions settings) =>
        $"{settings.ApiBaseUrl.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(settings.AccountSid)}/Messages.json";

    private static AuthenticationHeaderValue BasicAuth(TwilioOptions settings) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.AccountSid}:{settings.AuthToken}")));

    private static List<KeyValuePair<string, string>> Fields(TwilioOptions settings, string to, string body, Uri? statusCallback)
    {
        var fields = new List<KeyValuePair<string, string>> { new("To", to) };
        fields.Add(string.IsNullOrWhiteSpace(settings.MessagingServiceSid)
            ? new("From", settings.FromNumber!)
            : new("MessagingServiceSid", settings.MessagingServiceSid));
        fields.Add(new("Body", body));
        if (statusCallback is not null)
        {
            fields.Add(new("StatusCallback", statusCallback.AbsoluteUri));
        }
        return fields;
    }

    private static async Task<DeliveryOutcome> Outcome(HttpResponseMessage response, CancellationToken ct)
    {
        var json = await response.Content.ReadAsStringAsync(ct);
        if (response.IsSuccessStatusCode)
        {
            // Accepted is accepted: a body we cannot read must not turn into a retry and a second text.
            return new DeliveryOutcome.Delivered(TryRead<CreatedMessage>(json)?.Sid);
        }

        var error = Describe(response, TryRead<ApiError>(json));
        var status = (int)response.StatusCode;
        return response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests => new DeliveryOutcome.Transient(error, response.Headers.RetryAfter?.Delta),
            HttpStatusCode.RequestTimeout => new DeliveryOutcome.Transient(error),
            // A wrong or revoked auth token, an account without permission, a wrong account SID: the service's own.
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound => DeliveryOutcome.Transient.RefusedBy(error),
            _ when status is >= 400 and < 500 => new DeliveryOutcome.Permanent(error),
            _ => new DeliveryOutcome.Transient(error),
        };
    }

    private static string Describe(HttpResponseMessage response, ApiError? error) =>
        error is { Code: not null }
            ? $"twilio {error.Code}: {error.Message}"
            : $"twilio: HTTP {(int)response.StatusCode} {response.ReasonPhrase}";

    private static T? TryRead<T>(string json) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record CreatedMessage([property: JsonPropertyName("sid")] string? Sid);

    private sealed record ApiError(
        [property: JsonPropertyName("code")] int? Code,
        [property: JsonPropertyName("message")] string? Message);
}
