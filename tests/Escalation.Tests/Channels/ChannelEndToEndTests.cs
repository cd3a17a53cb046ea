using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Escalation.Testing;
using Escalation.Tests.Api;
using static Escalation.Tests.Channels.ChannelSetup;

namespace Escalation.Tests.Channels;

/// <summary>Pages through the real pipeline to fake providers, answered the way a responder would answer them.</summary>
public sealed class ChannelEndToEndTests(ChannelsFixture fixture) : IClassFixture<ChannelsFixture>
{
    private readonly HttpClient _admin = fixture.App.Client();
    private readonly HttpClient _anonymous = fixture.App.Client(key: null);
    private ProviderFakes Fakes => fixture.Fakes;

    [Fact]
    public async Task The_Slack_button_acknowledges_as_the_linked_user()
    {
        var service = await Configure(_admin, "e2e-slack", "PT15M", new Responder("e2e-slack-u", SlackUserId: "UE2ESLACK", Rules: [Rule("slack")]));
        var id = await Trigger(_admin, service, "Checkout is down");

        var dm = (await ProviderRequests.Until(() => Fakes.Slack.SlackPosts("UE2ESLACK"), p => p.Count > 0, "the Slack DM"))[0];
        var button = dm["blocks"]!.AsArray().Where(b => b!["type"]!.GetValue<string>() == "actions")
            .SelectMany(b => b!["elements"]!.AsArray()).Single(e => e!["action_id"]!.GetValue<string>() == "incident.acknowledge")!;
        Assert.Equal(id, button["value"]!.GetValue<string>());

        var response = await PressButton("UE2ESLACK", "incident.acknowledge", id);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var incident = await _admin.GetAsync($"/api/v1/incidents/{id}").Ok();
        Assert.Equal("acknowledged", incident.Str("status"));
        Assert.Equal("e2e-slack-u", incident.Str("acknowledged_by"));
        await ProviderRequests.Until(() => EphemeralReplies(), r => r.Any(t => t.Contains($"Acknowledged incident {id}")), "the ephemeral confirmation");
    }

    [Fact]
    public async Task The_service_channel_gets_the_declaration_and_each_turn_rewrites_the_messages_and_is_told_in_the_thread()
    {
        var service = await Configure(_admin, "e2e-thread", "PT15M", "CE2ETHREAD",
            new Responder("e2e-thread-u", SlackUserId: "UE2ETHREAD", Rules: [Rule("slack")]));
        var id = await Trigger(_admin, service, "Billing is broken");

        var declaration = (await ProviderRequests.Until(() => Fakes.Slack.SlackPosts("CE2ETHREAD"), p => p.Count == 1, "the declaration"))[0];
        Assert.Contains("P1", declaration.ToJsonString());
        await ProviderRequests.Until(() => Fakes.Slack.SlackPosts("UE2ETHREAD"), p => p.Count == 1, "the DM");
        await Eventually.Get(() => _admin.GetAsync($"/api/v1/incidents/{id}/notifications").Ok(),
            n => n.AsArray().Count(x => x!.Str("status") == "sent") == 2, "both Slack messages recorded as sent");

        await _admin.PostJson($"/api/v1/incidents/{id}/acknowledge", new { by = "e2e-thread-u" }).Ok();
        var dmRewritten = (await ProviderRequests.Until(() => Fakes.Slack.SlackUpdates("DE2ETHREAD"), u => u.Count == 1, "the DM rewritten"))[0];
        var buttons = dmRewritten["blocks"]!.AsArray().Where(b => b!["type"]!.GetValue<string>() == "actions")
            .SelectMany(b => b!["elements"]!.AsArray()).Select(e => e!["action_id"]!.GetValue<string>()).ToList();
        Assert.Equal(["incident.resolve"], buttons);
        await ProviderRequests.Until(() => Fakes.Slack.SlackUpdates("CE2ETHREAD"), u => u.Count == 1, "the declaration rewritten");
        var thread = await ProviderRequests.Until(() => Fakes.Slack.SlackPosts("CE2ETHREAD").Where(p => p["thread_ts"] is not null).ToList(),
            p => p.Count == 1, "the acknowledgement in the thread");
        Assert.Contains("Acknowledged by e2e-thread-u", thread[0]["text"]!.GetValue<string>());
        Assert.Equal(Fakes.Slack.LogEntries.First(e => e.RequestMessage!.Path == "/api/chat.postMessage"
            && e.RequestMessage.Body!.Contains("CE2ETHREAD")).ResponseMessage!.BodyData!.BodyAsString!.Split("\"ts\":\"")[1].Split('"')[0],
            thread[0]["thread_ts"]!.GetValue<string>());

        await _admin.PostJson($"/api/v1/incidents/{id}/resolve", new
        {
            by = "e2e-thread-u", note = "Rolled back the billing deploy", how_confirmed = "Invoices go out again", follow_ups = "Postmortem on Thursday",
        }).Ok();
        var replies = await ProviderRequests.Until(() => Fakes.Slack.SlackPosts("CE2ETHREAD").Where(p => p["thread_ts"] is not null).ToList(),
            p => p.Count == 2, "the recovery post in the thread");
        var recovery = replies[1]["blocks"]!.ToJsonString(); // the recovery format, not a bare line
        Assert.Contains("*What was done:* Rolled back the billing deploy", recovery);
        Assert.Contains("*How it was confirmed:* Invoices go out again", recovery);
        Assert.Contains("*Follow-ups:* Postmortem on Thursday", recovery);
        var final = await ProviderRequests.Until(() => Fakes.Slack.SlackUpdates("DE2ETHREAD"), u => u.Count == 2, "the DM rewritten as resolved");
        Assert.DoesNotContain(final[1]["blocks"]!.AsArray(), b => b!["type"]!.GetValue<string>() == "actions");
    }

    [Fact]
    public async Task A_forged_or_stale_Slack_request_is_refused_and_changes_nothing()
    {
        var service = await Configure(_admin, "e2e-forged", "PT15M", new Responder("e2e-forged-u", SlackUserId: "UE2EFORGED", Rules: [Rule("slack")]));
        var id = await Trigger(_admin, service, "Forgery target");

        var body = InteractionBody("UE2EFORGED", "incident.resolve", id);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await Post("/webhooks/slack/interactions", body, ("X-Slack-Request-Timestamp", $"{now}"),
            ("X-Slack-Signature", ProviderSignatures.Slack("wrong-secret", now, body))).Problem(401);
        var old = now - 6 * 60;
        await Post("/webhooks/slack/interactions", body, ("X-Slack-Request-Timestamp", $"{old}"),
            ("X-Slack-Signature", ProviderSignatures.Slack(ProviderFakes.SlackSigningSecret, old, body))).Problem(401);
        // A valid request replayed within the five minutes is refused the second time.
        var genuine = InteractionBody("UE2EFORGED", "incident.acknowledge", id);
        var signature = ProviderSignatures.Slack(ProviderFakes.SlackSigningSecret, now, genuine);
        var first = await Post("/webhooks/slack/interactions", genuine, ("X-Slack-Request-Timestamp", $"{now}"), ("X-Slack-Signature", signature));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await Post("/webhooks/slack/interactions", genuine, ("X-Slack-Request-Timestamp", $"{now}"), ("X-Slack-Signature", signature)).Problem(401);

        var incident = await _admin.GetAsync($"/api/v1/incidents/{id}").Ok();
        Assert.Equal("acknowledged", incident.Str("status")); // by the one genuine request, not resolved by the forged one
    }

    [Fact]
    public async Task An_unknown_Slack_user_is_told_why_and_nothing_changes()
    {
        var service = await Configure(_admin, "e2e-stranger", "PT15M", new Responder("e2e-stranger-u", SlackUserId: "UE2EKNOWN", Rules: [Rule("slack")]));
        var id = await Trigger(_admin, service, "Stranger danger");

        var response = await PressButton("UE2ESTRANGER", "incident.acknowledge", id);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await ProviderRequests.Until(() => EphemeralReplies(), r => r.Any(t => t.Contains("not linked")), "the ephemeral explanation");
        Assert.Equal("triggered", (await _admin.GetAsync($"/api/v1/incidents/{id}").Ok()).Str("status"));
    }

    [Fact]
    public async Task An_SMS_reply_1a_acknowledges_and_1c_resolves()
    {
        const string phone = "+15550101001";
        var service = await Configure(_admin, "e2e-sms", "PT15M", new Responder("e2e-sms-u", Phone: phone, Rules: [Rule("sms")]));
        var id = await Trigger(_admin, service, "Payments are failing");

        var sms = (await ProviderRequests.Until(() => Fakes.Twilio.Sms(phone), s => s.Count > 0, "the page SMS"))[0];
        Assert.Contains("1a", sms["Body"]);
        Assert.Contains("1c", sms["Body"]);
        Assert.Equal(ProviderFakes.TwilioFrom, sms["From"]);
        Assert.StartsWith($"{ProviderFakes.PublicBaseUrl}/webhooks/twilio/status?n=", sms["StatusCallback"]);

        var ack = await Reply(phone, "1a", "SMreply0001");
        Assert.Contains("<Response><Message>", ack);
        var incident = await _admin.GetAsync($"/api/v1/incidents/{id}").Ok();
        Assert.Equal("acknowledged", incident.Str("status"));
        Assert.Equal("e2e-sms-u", incident.Str("acknowledged_by"));

        await Reply(phone, "1c", "SMreply0002");
        Assert.Equal("resolved", (await _admin.GetAsync($"/api/v1/incidents/{id}").Ok()).Str("status"));

        var help = await Reply(phone, "what is this", "SMreply0003");
        Assert.Contains("1a", help);
    }

    [Fact]
    public async Task Reply_codes_are_the_lowest_free_per_phone_and_are_reused_once_the_incident_is_resolved()
    {
        const string phone = "+15550101002";
        var service = await Configure(_admin, "e2e-codes", "PT15M", new Responder("e2e-codes-u", Phone: phone, Rules: [Rule("sms")]));
        var first = await Trigger(_admin, service, "First");
        await ProviderRequests.Until(() => Fakes.Twilio.Sms(phone), s => s.Count == 1, "the first SMS");
        var second = await Trigger(_admin, service, "Second");
        var both = await ProviderRequests.Until(() => Fakes.Twilio.Sms(phone), s => s.Count == 2, "the second SMS");
        Assert.Contains("1a", both[0]["Body"]);
        Assert.Contains("2a", both[1]["Body"]);

        await _admin.PostJson($"/api/v1/incidents/{first}/resolve", new { by = "ops" }).Ok();
        await Trigger(_admin, service, "Third");
        var three = await ProviderRequests.Until(() => Fakes.Twilio.Sms(phone), s => s.Count == 3, "the third SMS");
        Assert.Contains("1a", three[2]["Body"]);
        Assert.DoesNotContain("3a", three[2]["Body"]);

        // "2c" still answers the second incident.
        await Reply(phone, "2c", "SMcodes0001");
        var resolved = await _admin.GetAsync($"/api/v1/incidents/{second}").Ok();
        Assert.Equal("resolved", resolved.Str("status"));
        Assert.Null(resolved["recovery"]); // "via SMS" says how it was resolved, not what was done
    }

    [Fact]
    public async Task STOP_turns_SMS_off_for_the_user_whose_pages_go_to_email_instead_until_START()
    {
        const string phone = "+15550101003";
        var service = await Configure(_admin, "e2e-stop", "PT15M",
            new Responder("e2e-stop-u", Phone: phone, Email: "e2e-stop@example.com", Rules: [Rule("sms"), Rule("email", "PT1H")]));
        await Reply(phone, "STOP", "SMstop0001");
        Assert.NotNull((await _admin.GetAsync("/api/v1/users/e2e-stop-u").Ok())["sms_stopped_at"]);

        // An admin's PUT of the user does not turn SMS back on: that is the number's own word.
        var put = await _admin.PutJson("/api/v1/users/e2e-stop-u", new
        {
            name = "e2e-stop-u", phone, email = "e2e-stop@example.com", time_zone = "Asia/Tokyo", notification_rules = new[] { Rule("sms"), Rule("email", "PT1H") },
        }).Ok();
        Assert.NotNull(put["sms_stopped_at"]);
        Assert.NotNull((await _admin.GetAsync("/api/v1/users/e2e-stop-u").Ok())["sms_stopped_at"]);

        var id = await Trigger(_admin, service, "After STOP");
        await ProviderRequests.Until(() => Fakes.SendGrid.Mails("e2e-stop@example.com"), m => m.Count > 0, "the email, at once, instead of the SMS");
        var incident = await _admin.GetAsync($"/api/v1/incidents/{id}").Ok();
        Assert.Contains(incident["timeline"]!.AsArray(), e => e!.Str("type") == "fallback" && e!.Str("message").Contains("STOP"));
        Assert.DoesNotContain(incident["timeline"]!.AsArray(), e => e!.Str("type") == "notification_failed");
        Assert.Equal(["email"], (await _admin.GetAsync($"/api/v1/incidents/{id}/notifications").Ok()).AsArray().Select(n => n!.Str("channel")));
        Assert.Empty(Fakes.Twilio.Sms(phone));

        await Reply(phone, "START", "SMstop0002");
        Assert.Null((await _admin.GetAsync("/api/v1/users/e2e-stop-u").Ok())["sms_stopped_at"]);
        await Trigger(_admin, service, "After START");
        await ProviderRequests.Until(() => Fakes.Twilio.Sms(phone), s => s.Count == 1, "the SMS page again");
    }

    [Fact]
    public async Task An_email_link_GET_changes_nothing_and_its_POST_acknowledges()
    {
        var service = await Configure(_admin, "e2e-mail", "PT15M", new Responder("e2e-mail-u", Email: "e2e-mail@example.com", Rules: [Rule("email")]));
        var id = await Trigger(_admin, service, "Mail me");

        var mail = (await ProviderRequests.Until(() => Fakes.SendGrid.Mails("e2e-mail@example.com"), m => m.Count > 0, "the page email"))[0];
        var links = LinksIn(mail);

        var page = await _anonymous.GetAsync(links[0]);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("method=\"post\"", await page.Content.ReadAsStringAsync());
        Assert.Equal("triggered", (await _admin.GetAsync($"/api/v1/incidents/{id}").Ok()).Str("status"));

        var done = await _anonymous.PostAsync(links[0], null);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var incident = await _admin.GetAsync($"/api/v1/incidents/{id}").Ok();
        Assert.Equal("acknowledged", incident.Str("status"));
        Assert.Equal("e2e-mail-u", incident.Str("acknowledged_by"));

        var tampered = links[1][..^2] + (links[1].EndsWith("AA") ? "BB" : "AA");
        Assert.Equal(HttpStatusCode.NotFound, (await _anonymous.PostAsync(tampered, null)).StatusCode);
    }

    [Fact]
    public async Task An_email_link_is_spent_once_its_incident_is_answered_or_paged_again()
    {
        var service = await Configure(_admin, "e2e-cycle", "PT15M", new Responder("e2e-cycle-u", Email: "e2e-cycle@example.com", Rules: [Rule("email")]));
        await _admin.PutJson($"/api/v1/services/{service}", new { name = "Cycles", escalation_policy_id = service, acknowledgement_timeout = "PT2S" }).Ok();
        var id = await Trigger(_admin, service, "Mail me twice");
        var first = LinksIn((await ProviderRequests.Until(() => Fakes.SendGrid.Mails("e2e-cycle@example.com"), m => m.Count == 1, "the page email"))[0]);
        var (acknowledge, resolve) = (first[0], first[1]);

        Assert.Equal(HttpStatusCode.OK, (await _anonymous.PostAsync(acknowledge, null)).StatusCode);
        var spent = await _anonymous.GetAsync(acknowledge);
        Assert.Equal(HttpStatusCode.Gone, spent.StatusCode);
        Assert.Contains("already acknowledged by e2e-cycle-u", await spent.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await _anonymous.GetAsync(resolve)).StatusCode);

        // The acknowledgement times out: the incident is paged again, in a new cycle, with links of its own.
        var second = LinksIn((await ProviderRequests.Until(() => Fakes.SendGrid.Mails("e2e-cycle@example.com"), m => m.Count == 2, "the page email of the new cycle"))[1]);
        foreach (var old in new[] { acknowledge, resolve })
        {
            var answer = await _anonymous.PostAsync(old, null);
            Assert.Equal(HttpStatusCode.Gone, answer.StatusCode);
            Assert.Contains("paged again", await answer.Content.ReadAsStringAsync());
        }
        Assert.Equal("triggered", (await _admin.GetAsync($"/api/v1/incidents/{id}").Ok()).Str("status"));

        Assert.Equal(HttpStatusCode.OK, (await _anonymous.PostAsync(second[1], null)).StatusCode);
        Assert.Equal("resolved", (await _admin.GetAsync($"/api/v1/incidents/{id}").Ok()).Str("status"));
        var resolved = await _anonymous.PostAsync(second[1], null);
        Assert.Equal(HttpStatusCode.Gone, resolved.StatusCode);
        Assert.Contains("already resolved by e2e-cycle-u", await resolved.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_acknowledge_link_once_used_stays_spent_after_the_incident_is_escalated_by_hand()
    {
        var service = await Configure(_admin, "e2e-hand", "PT15M",
            new Responder("e2e-hand-u", Email: "e2e-hand@example.com", Rules: [Rule("email")]),
            new Responder("e2e-hand-v", Email: "e2e-hand-v@example.com", Rules: [Rule("email")]));
        var id = await Trigger(_admin, service, "Mail me, then escalate");
        var links = LinksIn((await ProviderRequests.Until(() => Fakes.SendGrid.Mails("e2e-hand@example.com"), m => m.Count == 1, "the page email"))[0]);
        var (acknowledge, resolve) = (links[0], links[1]);

        Assert.Equal(HttpStatusCode.OK, (await _anonymous.PostAsync(acknowledge, null)).StatusCode);
        await _admin.PostJson($"/api/v1/incidents/{id}/escalate", new { by = "e2e-hand-u", note = "need a hand" }).Ok();
        Assert.Equal("triggered", (await _admin.GetAsync($"/api/v1/incidents/{id}").Ok()).Str("status"));

        foreach (var answer in new[] { await _anonymous.GetAsync(acknowledge), await _anonymous.PostAsync(acknowledge, null) })
        {
            Assert.Equal(HttpStatusCode.Gone, answer.StatusCode);
            Assert.Contains("already acknowledged", await answer.Content.ReadAsStringAsync());
        }
        Assert.Equal("triggered", (await _admin.GetAsync($"/api/v1/incidents/{id}").Ok()).Str("status"));
        // The resolve link of the same page still stands.
        Assert.Equal(HttpStatusCode.OK, (await _anonymous.PostAsync(resolve, null)).StatusCode);
        Assert.Equal("resolved", (await _admin.GetAsync($"/api/v1/incidents/{id}").Ok()).Str("status"));
    }

    /// <summary>The acknowledge and the resolve link of a page email, as paths.</summary>
    private static List<string> LinksIn(JsonNode mail)
    {
        var text = mail["content"]![0]!["value"]!.GetValue<string>();
        var links = Regex.Matches(text, Regex.Escape(ProviderFakes.PublicBaseUrl) + @"(/links/[A-Za-z0-9_\-\.]+)").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, links.Count);
        return links;
    }

    [Fact]
    public async Task The_notification_log_shows_every_attempt_with_a_masked_address()
    {
        const string phone = "+15550101004";
        var service = await Configure(_admin, "e2e-log", "PT15M", new Responder("e2e-log-u", Phone: phone, Email: "e2e-log@example.com"));
        var id = await Trigger(_admin, service, "Log me");

        var log = await Eventually.Get(() => _admin.GetAsync($"/api/v1/incidents/{id}/notifications").Ok(),
            n => n.AsArray().Count == 2 && n.AsArray().All(x => x!.Str("status") == "sent"), "both default high-urgency pages");
        var sms = log.AsArray().Single(n => n!.Str("channel") == "sms")!;
        Assert.Equal("+15•••••1004", sms.Str("address"));
        Assert.Equal("SM00000000000000000000000000000001", sms.Str("provider_message_id"));
        var attempt = sms["attempt_log"]!.AsArray().Single()!;
        Assert.Equal("delivered", attempt.Str("outcome"));
        var email = log.AsArray().Single(n => n!.Str("channel") == "email")!;
        Assert.Equal("e•••@example.com", email.Str("address"));
        Assert.DoesNotContain(phone, log.ToJsonString());
    }

    private Task<HttpResponseMessage> PressButton(string slackUser, string action, string incidentId)
    {
        var body = InteractionBody(slackUser, action, incidentId);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return Post("/webhooks/slack/interactions", body, ("X-Slack-Request-Timestamp", $"{now}"),
            ("X-Slack-Signature", ProviderSignatures.Slack(ProviderFakes.SlackSigningSecret, now, body)));
    }

    private string InteractionBody(string slackUser, string action, string incidentId)
    {
        var payload = new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = slackUser, ["username"] = "someone" },
            ["actions"] = new JsonArray(new JsonObject { ["action_id"] = action, ["value"] = incidentId, ["type"] = "button" }),
            ["response_url"] = $"{Fakes.Slack.Url}/actions/T0/{Guid.NewGuid():N}",
        };
        return "payload=" + Uri.EscapeDataString(payload.ToJsonString());
    }

    private List<string> EphemeralReplies() =>
        Fakes.Slack.LogEntries.Where(e => e.RequestMessage!.Path.StartsWith("/actions/"))
            .Select(e => JsonNode.Parse(e.RequestMessage!.Body!)!["text"]!.GetValue<string>()).ToList();

    private Task<string> Reply(string from, string text, string messageSid) => Twilio.Reply(fixture.App, from, text, messageSid);

    private Task<HttpResponseMessage> Post(string path, string body, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded") };
        foreach (var (name, value) in headers) request.Headers.Add(name, value);
        return _anonymous.SendAsync(request);
    }
}
