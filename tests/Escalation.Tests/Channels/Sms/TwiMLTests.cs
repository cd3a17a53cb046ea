using System.Xml.Linq;
using Escalation.Silo.Channels.Twilio;

namespace Escalation.Tests.Channels.Sms;

public class TwiMLTests
{
    [Fact]
    public void A_message_reply_is_a_response_with_one_message() =>
        Assert.Equal(
            """<?xml version="1.0" encoding="UTF-8"?><Response><Message>Acknowledged inc-1.</Message></Response>""",
            TwiML.Message("Acknowledged inc-1."));

    [Fact]
    public void Message_text_is_escaped_and_stays_well_formed()
    {
        const string text = "Acknowledged: <script> & \"quotes\" 'too'\nline two\u0007";

        var document = XDocument.Parse(TwiML.Message(text));

        Assert.Equal("Response", document.Root!.Name.LocalName);
        Assert.Equal("Acknowledged: <script> & \"quotes\" 'too'\nline two", document.Root.Element("Message")!.Value);
    }

    [Fact]
    public void Characters_outside_the_basic_plane_survive() =>
        Assert.Equal("fire \U0001F525", XDocument.Parse(TwiML.Message("fire \U0001F525")).Root!.Element("Message")!.Value);

    [Fact]
    public void An_empty_reply_has_no_verbs()
    {
        var document = XDocument.Parse(TwiML.Empty());

        Assert.Equal("Response", document.Root!.Name.LocalName);
        Assert.Empty(document.Root.Nodes());
    }

    [Fact]
    public void Twilio_is_told_it_is_xml() => Assert.Equal("text/xml", TwiML.ContentType);
}
