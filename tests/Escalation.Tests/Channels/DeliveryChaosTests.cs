using Escalation.Silo.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Escalation.Testing;
using Escalation.Tests.Api;
using Npgsql;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using Request = WireMock.RequestBuilders.Request;
using WireMock.ResponseBuilders;
using static Escalation.Tests.Channels.ChannelSetup;

namespace Escalation.Tests.Channels;

/// <summary>Providers that fail: retry, dead-letter, fall back, escalate.</summary>
public sealed class DeliveryChaosTests(ChannelsFixture fixture) : IClassFixture<ChannelsFixture>
{
    private readonly HttpClient _admin = fixture.App.Client();
    private ProviderFakes Fakes => fixture.Fakes;

    [Fact]
    public async Task A_provider_that_fails_twice_then_succeeds_gives_one_delivery_after_three_attempts()
    {
        const string phone = "+15550202001";
        var scenario = $"flaky-{phone}";
        var toThisPhone = Request.Create().WithPath($"/2010-04-01/Accounts/{ProviderFakes.TwilioAccountSid}/Messages.json").UsingPost()
            .WithBody(new WildcardMatcher("*To=%2B15550202001*"));
        Fakes.Twilio.Given(toThisPhone).AtPriority(1).InScenario(scenario).WillSetStateTo("failed once")
            .RespondWith(Response.Create().WithStatusCode(500).WithBody("oops"));
        Fakes.Twilio.Given(toThisPhone).AtPriority(1).InScenario(scenario).WhenStateIs("failed once").WillSetStateTo("failed twice")
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("oops"));
        Fakes.Twilio.Given(toThisPhone).AtPriority(1).InScenario(scenario).WhenStateIs("failed twice").WillSetStateTo("recovered")
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody("""{"sid":"SMflaky","status":"queued"}"""));

        var service = await Configure(_admin, "chaos-flaky", "PT15M", new Responder("chaos-flaky-u", Phone: phone, Rules: [Rule("sms")]));
        var id = await Trigger(_admin, service, "Flaky provider");

        var log = await Eventually.Get(() => _admin.GetAsync($"/api/v1/incidents/{id}/notifications").Ok(),
            n => n.AsArray().SingleOrDefault()?.Str("status") == "sent", "the SMS page sent");
        var page = log.AsArray().Single()!;
        Assert.Equal(3, page["attempts"]!.GetValue<int>());
        Assert.Equal(["transient", "transient", "delivered"], page["attempt_log"]!.AsArray().Select(a => a!.Str("outcome")));
        Assert.Equal("SMflaky", page.Str("provider_message_id"));

        await Task.Delay(500); // nothing more may arrive after the delivery
        Assert.Equal(3, Fakes.Twilio.Sms(phone).Count);
    }

    [Fact]
    public async Task A_database_hiccup_after_Twilio_accepted_an_SMS_does_not_send_it_again()
    {
        const string phone = "+15550202009";
        // The first write of this number's SMS slot fails; a sequence counts, since the failing transaction rolls back.
        await using (var db = NpgsqlDataSource.Create(fixture.App.ConnectionString))
        await using (var cmd = db.CreateCommand($$"""
            CREATE SEQUENCE hiccups_{{phone[1..]}};
            CREATE FUNCTION hiccup_{{phone[1..]}}() RETURNS trigger LANGUAGE plpgsql AS $f$
            BEGIN
                IF NEW.phone = '{{phone}}' AND nextval('hiccups_{{phone[1..]}}') = 1 THEN RAISE EXCEPTION 'hiccup'; END IF;
                RETURN NEW;
            END $f$;
            CREATE TRIGGER hiccup_{{phone[1..]}} BEFORE INSERT OR UPDATE ON sms_throttle FOR EACH ROW EXECUTE FUNCTION hiccup_{{phone[1..]}}();
            """))
            await cmd.ExecuteNonQueryAsync();

        var service = await Configure(_admin, "chaos-hiccup", "PT15M", new Responder("chaos-hiccup-u", Phone: phone, Rules: [Rule("sms")]));
        var id = await Trigger(_admin, service, "Hiccup after send");

        var page = (await Eventually.Get(() => _admin.GetAsync($"/api/v1/incidents/{id}/notifications").Ok(),
            n => n.AsArray().SingleOrDefault()?.Str("status") == "sent", "the SMS page sent")).AsArray().Single()!;
        // (A cold first call may time out and be tried again: that is an attempt of its own, on the record.)
        var attempts = page["attempt_log"]!.AsArray();
        Assert.DoesNotContain(attempts, a => a!["error"]?.GetValue<string>().Contains("hiccup") == true);
        await Task.Delay(TimeSpan.FromSeconds(2)); // past the first retry's wait: nothing more may be sent
        Assert.Equal(attempts.Count, Fakes.Twilio.Sms(phone).Count);
    }

    [Fact]
    public async Task No_transaction_is_held_open_while_Twilio_takes_its_time()
    {
        const string phone = "+15550202010";
        var arrived = new TaskCompletionSource();
        using var release = new ManualResetEventSlim();
        Fakes.Twilio.Given(Request.Create().WithPath($"/2010-04-01/Accounts/{ProviderFakes.TwilioAccountSid}/Messages.json").UsingPost()
                .WithBody(new WildcardMatcher("*To=%2B15550202010*"))).AtPriority(1)
            .RespondWith(Response.Create().WithCallback(_ =>
            {
                arrived.TrySetResult();
                release.Wait(TimeSpan.FromSeconds(10));
                return new WireMock.ResponseMessage
                {
                    StatusCode = 201,
                    Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/json") },
                    BodyData = new WireMock.Util.BodyData { DetectedBodyType = WireMock.Types.BodyType.String, BodyAsString = """{"sid":"SMslow","status":"queued"}""" },
                };
            }));
        var service = await Configure(_admin, "chaos-slow", "PT15M", new Responder("chaos-slow-u", Phone: phone, Rules: [Rule("sms")]));
        var id = await Trigger(_admin, service, "Twilio is slow");

        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(20)); // Twilio has the request and has not answered yet
        await using (var db = NpgsqlDataSource.Create(fixture.App.ConnectionString))
        await using (var open = db.CreateCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'"))
            Assert.Equal(0L, await open.ExecuteScalarAsync());
        release.Set();

        var page = (await Eventually.Get(() => _admin.GetAsync($"/api/v1/incidents/{id}/notifications").Ok(),
            n => n.AsArray().SingleOrDefault()?.Str("status") == "sent", "the SMS page sent")).AsArray().Single()!;
        Assert.Equal("SMslow", page.Str("provider_message_id"));
        Assert.Single(Fakes.Twilio.Sms(phone));
    }

    [Fact]
    public async Task A_number_a_live_silo_holds_past_its_lease_is_waited_for_and_one_a_dead_silo_held_is_taken_over()
    {
        const string phone = "+15550202011";
        var here = fixture.App.Services.GetRequiredService<Claimants>().Here().Silo;
        // As a sender left it that is recording its bundle through a database outage: its lease ran out a minute ago.
        await Hold(phone, here, DateTimeOffset.UtcNow.AddMinutes(-1));
        var service = await Configure(_admin, "chaos-held", "PT15M", new Responder("chaos-held-u", Phone: phone, Rules: [Rule("sms")]));
        await Trigger(_admin, service, "Number held");

        await Task.Delay(TimeSpan.FromSeconds(4)); // two looks at the number at least
        Assert.Empty(Fakes.Twilio.Sms(phone));

        await Hold(phone, "S10.0.0.9:11111:99", DateTimeOffset.UtcNow.AddMinutes(-1)); // a silo that is not in the cluster
        await ProviderRequests.Until(() => Fakes.Twilio.Sms(phone), s => s.Count == 1, "the SMS once the dead silo's lease is taken over");
    }

    private async Task Hold(string phone, string silo, DateTimeOffset until)
    {
        await using var db = NpgsqlDataSource.Create(fixture.App.ConnectionString);
        await using var cmd = db.CreateCommand("""
            INSERT INTO sms_senders (phone, token, until, silo) VALUES ($1, gen_random_uuid(), $2, $3)
            ON CONFLICT (phone) DO UPDATE SET token = EXCLUDED.token, until = EXCLUDED.until, silo = EXCLUDED.silo
            """);
        cmd.Parameters.AddWithValue(phone);
        cmd.Parameters.AddWithValue(until);
        cmd.Parameters.AddWithValue(silo);
        await cmd.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_permanent_SMS_failure_falls_back_to_email_at_once_and_is_on_the_timeline()
    {
        const string phone = "+15550202002";
        Fakes.Twilio.Given(Request.Create().WithPath($"/2010-04-01/Accounts/{ProviderFakes.TwilioAccountSid}/Messages.json").UsingPost()
                .WithBody(new WildcardMatcher("*To=%2B15550202002*"))).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/json")
                .WithBody("""{"code":21211,"message":"The 'To' number +15550202002 is not a valid phone number.","more_info":"https://www.twilio.com/docs/errors/21211","status":400}"""));

        var service = await Configure(_admin, "chaos-fallback", "PT15M",
            new Responder("chaos-fallback-u", Phone: phone, Email: "chaos-fallback@example.com", Rules: [Rule("sms"), Rule("email", "PT30M")]));
        var id = await Trigger(_admin, service, "Invalid number");

        await ProviderRequests.Until(() => Fakes.SendGrid.Mails("chaos-fallback@example.com"), m => m.Count == 1, "the fallback email");
        Assert.Single(Fakes.Twilio.Sms(phone)); // a permanent failure is not retried

        var incident = await Eventually.Get(() => _admin.GetAsync($"/api/v1/incidents/{id}").Ok(),
            i => i["timeline"]!.AsArray().Any(e => e!.Str("type") == "notified"), "the email on the timeline");
        var timeline = incident["timeline"]!.AsArray().Select(e => (Type: e!.Str("type"), Message: e!.Str("message"))).ToList();
        Assert.Contains(timeline, e => e.Type == "notification_failed" && e.Message.Contains("21211"));
        Assert.Contains(timeline, e => e.Type == "fallback" && e.Message.Contains("email"));
        Assert.Equal("triggered", incident.Str("status"));
        Assert.Equal(1, incident["escalation"]!["level"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_level_where_every_channel_fails_escalates_at_once()
    {
        const string phone = "+15550202003";
        Fakes.Twilio.Given(Request.Create().WithPath($"/2010-04-01/Accounts/{ProviderFakes.TwilioAccountSid}/Messages.json").UsingPost()
                .WithBody(new WildcardMatcher("*To=%2B15550202003*"))).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/json")
                .WithBody("""{"code":21614,"message":"'To' number is not a valid mobile number","status":400}"""));

        var service = await Configure(_admin, "chaos-level", "PT15M",
            new Responder("chaos-level-1", Phone: phone, Rules: [Rule("sms")]),
            new Responder("chaos-level-2", SlackUserId: "UCHAOSLEVEL2", Rules: [Rule("slack")]));
        var id = await Trigger(_admin, service, "Nobody at level one");

        await ProviderRequests.Until(() => Fakes.Slack.SlackPosts("UCHAOSLEVEL2"), p => p.Count == 1, "the level 2 page");
        var incident = await _admin.GetAsync($"/api/v1/incidents/{id}").Ok();
        Assert.Equal(2, incident["escalation"]!["level"]!.GetValue<int>());
        Assert.Contains(incident["timeline"]!.AsArray(), e => e!.Str("message").Contains("No page at level 1 could be delivered"));
    }

    [Fact]
    public async Task When_every_provider_fails_the_walk_goes_down_the_levels_at_once_but_a_repeat_waits_for_its_deadline()
    {
        Fakes.Twilio.Given(Request.Create().WithPath($"/2010-04-01/Accounts/{ProviderFakes.TwilioAccountSid}/Messages.json").UsingPost()
                .WithBody(new WildcardMatcher("*To=%2B1555020300*"))).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(401).WithHeader("Content-Type", "application/json")
                .WithBody("""{"code":20003,"message":"Authenticate","status":401}"""));
        await Configure(_admin, "chaos-walk", "PT15M",
            new Responder("chaos-walk-1", Phone: "+15550203001", Rules: [Rule("sms")]),
            new Responder("chaos-walk-2", Phone: "+15550203002", Rules: [Rule("sms")]));
        await _admin.PutJson("/api/v1/escalation-policies/chaos-walk", new
        {
            name = "walk twice",
            repeat = 1,
            levels = new[] { "chaos-walk-1", "chaos-walk-2" }.Select(u => new { escalate_after = "PT15M", targets = new[] { new { type = "user", id = u } } }),
        }).Ok();
        var id = await Trigger(_admin, "chaos-walk", "Every provider is down");

        var incident = await Eventually.Get(() => _admin.GetAsync($"/api/v1/incidents/{id}").Ok(),
            i => i["timeline"]!.AsArray().Any(e => e!.Str("type") == "nobody_reached"), "the end of the first walk");
        Assert.Equal(2, incident["escalation"]!["level"]!.GetValue<int>());
        Assert.Equal(0, incident["escalation"]!["loop"]!.GetValue<int>());
        Assert.NotNull(incident["escalation"]!["next_escalation_at"]); // the repeat still comes, at its deadline
        Assert.Contains(incident["timeline"]!.AsArray(), e => e!.Str("message").Contains("escalated at once to level 2: chaos-walk-2"));
    }

    [Fact]
    public async Task An_SMS_Twilio_later_reports_undelivered_falls_back_to_email()
    {
        const string phone = "+15550202004";
        Fakes.Twilio.Given(Request.Create().WithPath($"/2010-04-01/Accounts/{ProviderFakes.TwilioAccountSid}/Messages.json").UsingPost()
                .WithBody(new WildcardMatcher("*To=%2B15550202004*"))).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody("""{"sid":"SMlater","status":"queued"}"""));
        var service = await Configure(_admin, "chaos-later", "PT15M",
            new Responder("chaos-later-u", Phone: phone, Email: "chaos-later@example.com", Rules: [Rule("sms"), Rule("email", "PT1H")]));
        var id = await Trigger(_admin, service, "Carrier drops it");
        await Eventually.Get(() => _admin.GetAsync($"/api/v1/incidents/{id}/notifications").Ok(),
            n => n.AsArray().Any(x => x!.Str("channel") == "sms" && x!.Str("status") == "sent"), "the SMS accepted");
        Assert.Empty(Fakes.SendGrid.Mails("chaos-later@example.com"));

        var forged = new HttpRequestMessage(HttpMethod.Post, "/webhooks/twilio/status")
        {
            Content = new FormUrlEncodedContent([new("MessageSid", "SMlater"), new("MessageStatus", "undelivered")]),
        };
        forged.Headers.Add("X-Twilio-Signature", "bm90IGEgc2lnbmF0dXJl");
        await fixture.App.Client(key: null).SendAsync(forged).Problem(401);

        var response = await Twilio.Status(fixture.App, "SMlater", "undelivered", "30003");
        Assert.True(response.IsSuccessStatusCode);
        await ProviderRequests.Until(() => Fakes.SendGrid.Mails("chaos-later@example.com"), m => m.Count == 1, "the fallback email");
        var log = await _admin.GetAsync($"/api/v1/incidents/{id}/notifications").Ok();
        var sms = log.AsArray().Single(n => n!.Str("channel") == "sms")!;
        Assert.Equal("failed", sms.Str("status"));
        Assert.Equal("undelivered", sms.Str("provider_status"));
        Assert.Contains("30003", sms.Str("error"));
    }

    [Fact]
    public async Task Transient_failures_exhaust_five_attempts_then_fail_and_fall_back()
    {
        Fakes.Slack.Given(Request.Create().WithPath("/api/chat.postMessage").UsingPost().WithBody(new WildcardMatcher("*UCHAOSDOWN*"))).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(500).WithBody("down"));

        var service = await Configure(_admin, "chaos-down", "PT15M",
            new Responder("chaos-down-u", SlackUserId: "UCHAOSDOWN", Email: "chaos-down@example.com", Rules: [Rule("slack")]));
        var id = await Trigger(_admin, service, "Slack is down");

        await ProviderRequests.Until(() => Fakes.SendGrid.Mails("chaos-down@example.com"), m => m.Count == 1, "the fallback email");
        Assert.Equal(5, Fakes.Slack.SlackPosts("UCHAOSDOWN").Count);
        var log = await _admin.GetAsync($"/api/v1/incidents/{id}/notifications").Ok();
        var slack = log.AsArray().Single(n => n!.Str("channel") == "slack")!;
        Assert.Equal("failed", slack.Str("status"));
        Assert.Equal(5, slack["attempt_log"]!.AsArray().Count);
        Assert.Contains("gave up after 5 attempts", slack.Str("error"));
    }
}
