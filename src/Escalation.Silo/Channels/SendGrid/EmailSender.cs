using System.Globalization;
using Microsoft.Extensions.Options;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace Escalation.Silo.Channels.SendGrid;

/// <summary>
/// Hands one email to SendGrid's v3 mail/send and says what came of it. Retrying is the caller's business, so nothing
/// here retries: the SendGrid client only wraps HttpClients it creates itself in its retry handler (and that one
/// defaults to no retries), and this one is always given its HttpClient.
/// </summary>
public sealed class EmailSender
{
    private readonly SendGridOptions _options;
    private readonly TimeProvider _clock;
    private readonly SendGridClient? _client;

    public EmailSender(HttpClient http, IOptions<SendGridOptions> options, TimeProvider clock)
    {
        _options = options.Value;
        _clock = clock;
        if (_options.Configured)
        {
            _client = new SendGridClient(http, new SendGridClientOptions
            {
                ApiKey = _options.ApiKey,
                Host = _options.ApiBaseUrl,
                HttpErrorAsException = false,
            });
        }
    }

    public async Task<DeliveryOutcome> Send(EmailMessage message, CancellationToken ct)
    {
        if (_client is null)
            return new DeliveryOutcome.Permanent("sendgrid: not configured (ApiKey and FromEmail are required)");

        var mail = MailHelper.CreateSingleEmail(
            new EmailAddress(_options.FromEmail, _options.FromName), new EmailAddress(message.To),
            message.Subject, message.Text, message.Html);
        // Click tracking rewrites every link to go through SendGrid, which would break the signed action links.
        mail.SetClickTracking(enable: false, enableText: false);

        return await ProviderCallFailure.Call("sendgrid", "mail/send", async () =>
        {
            var response = await _client.SendEmailAsync(mail, ct);
            return await Outcome(response, ct);
        }, ct);
    }

    private async Task<DeliveryOutcome> Outcome(Response response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
            return new DeliveryOutcome.Delivered(Header(response, "X-Message-Id"));

        var status = (int)response.StatusCode;
        var body = response.Body is null ? null : await response.Body.ReadAsStringAsync(ct);
        var error = $"sendgrid {status}: {SendGridErrors.FirstMessage(body)}";
        return status switch
        {
            429 => new DeliveryOutcome.Transient(error, RetryAfter(response)),
            >= 500 => new DeliveryOutcome.Transient(error),
            401 or 403 => DeliveryOutcome.Transient.RefusedBy(error),
            _ => new DeliveryOutcome.Permanent(error),
        };
    }

    /// <summary>SendGrid's <c>X-RateLimit-Reset</c> is the Unix time (seconds) at which the rate limit window resets.</summary>
    private TimeSpan? RetryAfter(Response response)
    {
        var reset = Header(response, "X-RateLimit-Reset");
        if (!long.TryParse(reset, NumberStyles.None, CultureInfo.InvariantCulture, out var epochSeconds)
            || epochSeconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return null;
        }
        var wait = DateTimeOffset.FromUnixTimeSeconds(epochSeconds) - _clock.GetUtcNow();
        return wait > TimeSpan.Zero ? wait : null;
    }

    private static string? Header(Response response, string name) =>
        response.Headers is not null && response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
