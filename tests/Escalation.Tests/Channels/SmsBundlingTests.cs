using Escalation.Testing;
using Escalation.Tests.Api;
using static Escalation.Tests.Channels.ChannelSetup;

namespace Escalation.Tests.Channels;

/// <summary>Alert storms over SMS, with the slot shortened from a minute to three seconds.</summary>
public sealed class SmsBundlingTests(SmsBundlingTests.ThreeSecondSlots fixture) : IClassFixture<SmsBundlingTests.ThreeSecondSlots>
{
    public sealed class ThreeSecondSlots() : ChannelsFixture(SmsSlot("00:00:03"));

    private readonly ProviderFakes _fakes = fixture.Fakes;
    private readonly EscalationApp _app = fixture.App;

    [Fact]
    public async Task Pages_inside_a_numbers_slot_go_out_together_in_the_next_SMS_each_answerable_and_aa_acknowledges_them_all()
    {
        const string phone = "+15550404001";
        var admin = _app.Client();
        var service = await Configure(admin, "storm", "PT15M", new Responder("storm-u", Phone: phone, Rules: [Rule("sms")]));

        var first = await Trigger(admin, service, "Storm 1");
        await ProviderRequests.Until(() => _fakes.Twilio.Sms(phone), s => s.Count == 1, "the first SMS, at once");
        var storm = new List<string>();
        for (var i = 2; i <= 4; i++) storm.Add(await Trigger(admin, service, $"Storm {i}"));

        var all = await ProviderRequests.Until(() => _fakes.Twilio.Sms(phone), s => s.Count >= 2, "the bundle");
        await Task.Delay(TimeSpan.FromSeconds(4)); // a further slot passes: nothing else may be sent
        all = _fakes.Twilio.Sms(phone);
        Assert.Equal(2, all.Count);
        var bundle = all[1]["Body"];
        Assert.Equal(["2", "3", "4"], bundle.Split('\n').Where(l => l.Contains(": [critical] Storm")).Select(l => l.Split(':')[0]));
        Assert.Contains("Reply aa", bundle);

        // Each page of the bundle is recorded as sent, in the one SMS.
        foreach (var id in storm)
        {
            var page = (await Eventually.Get(() => admin.GetAsync($"/api/v1/incidents/{id}/notifications").Ok(),
                n => n.AsArray().Single()!.Str("status") == "sent", $"the page of {id} sent")).AsArray().Single()!;
            Assert.Equal(1, page["attempts"]!.GetValue<int>());
        }

        // "aa" acknowledges every incident still open for the number.
        var reply = await Twilio.Reply(_app, phone, "aa", "SMstorm0001");
        Assert.Contains("4", reply);
        foreach (var id in storm.Prepend(first))
            Assert.Equal("acknowledged", (await admin.GetAsync($"/api/v1/incidents/{id}").Ok()).Str("status"));
    }
}
