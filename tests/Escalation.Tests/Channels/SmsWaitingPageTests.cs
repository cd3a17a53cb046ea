using Escalation.Testing;
using Escalation.Tests.Api;
using static Escalation.Tests.Channels.ChannelSetup;

namespace Escalation.Tests.Channels;

/// <summary>A page waiting for its number's slot (shortened to fifteen seconds) has not reached the responder yet.</summary>
public sealed class SmsWaitingPageTests(SmsWaitingPageTests.FifteenSecondSlots fixture) : IClassFixture<SmsWaitingPageTests.FifteenSecondSlots>
{
    public sealed class FifteenSecondSlots() : ChannelsFixture(SmsSlot("00:00:15"));

    private readonly ProviderFakes _fakes = fixture.Fakes;
    private readonly EscalationApp _app = fixture.App;

    [Fact]
    public async Task Neither_aa_nor_its_code_acts_on_a_page_still_waiting_for_the_slot_and_the_page_still_goes_out()
    {
        const string phone = "+15550404101";
        var admin = _app.Client();
        var service = await Configure(admin, "waiting", "PT15M", new Responder("waiting-u", Phone: phone, Rules: [Rule("sms")]));

        var seen = await Trigger(admin, service, "Seen");
        await ProviderRequests.Until(() => _fakes.Twilio.Sms(phone), s => s.Count == 1, "the first SMS, at once");
        var unseen = await Trigger(admin, service, "Not sent yet");
        await Eventually.Get(() => admin.GetAsync($"/api/v1/incidents/{unseen}/notifications").Ok(),
            n => n.AsArray().Single()!["address"] is not null, "the second page claimed and waiting for the slot");

        Assert.Contains("has code 2", await Twilio.Reply(_app, phone, "2a", "SMwait0001"));
        Assert.Contains("Acknowledged 1 incident.", await Twilio.Reply(_app, phone, "aa", "SMwait0002"));
        Assert.Equal("acknowledged", (await admin.GetAsync($"/api/v1/incidents/{seen}").Ok()).Str("status"));
        Assert.Equal("triggered", (await admin.GetAsync($"/api/v1/incidents/{unseen}").Ok()).Str("status"));

        var sms = await ProviderRequests.Until(() => _fakes.Twilio.Sms(phone), s => s.Count == 2, "the waiting page, in the next slot");
        Assert.Contains("Not sent yet", sms[1]["Body"]);
        Assert.Contains("Acknowledged", await Twilio.Reply(_app, phone, "2a", "SMwait0003"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("acknowledged", (await admin.GetAsync($"/api/v1/incidents/{unseen}").Ok()).Str("status"));
    }
}
