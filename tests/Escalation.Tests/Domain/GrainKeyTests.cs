using CsCheck;
using Escalation.Alerts;
using Escalation.Keys;
using Escalation.Rotations;

namespace Escalation.Tests.Domain;

public sealed class GrainKeyTests
{
    /// <summary>Any text, weighted towards what the escaping is about: braces, the mark and its escapes.</summary>
    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.String,
        Gen.Char[" \t\n\u2028\u0085"].Array[0, 3].Select(c => new string(c)),
        Gen.Char["{}%7BDb|/\"\\ 日🚨"].Array[0, 12].Select(c => new string(c)));

    [Theory]
    [InlineData("disk")]
    [InlineData("host-1/disk|/var")]
    [InlineData("a b\tc \"quoted\" 'single' \\back")]
    [InlineData("日本語のキー 🚨")]
    [InlineData("95% full")]
    public void Text_that_needs_no_escape_keeps_the_key_it_always_had(string text)
    {
        Assert.Equal(text, GrainKey.Escape(text));
        Assert.Equal($"api|{text}", AlertKeys.For("api", text));
        Assert.Equal("primary.tokyo-1", RotationKeys.For("primary.tokyo-1"));
    }

    [Theory]
    [InlineData("{}:{alertname=\"HighErrorRate\"}", "%%7B%7D:%7Balertname=\"HighErrorRate\"%7D")]
    [InlineData("{0}", "%%7B0%7D")]
    [InlineData("%7B", "%%257B")]
    [InlineData("%", "%%25")]
    [InlineData("", "%")]
    [InlineData(" \n", "% \n")]
    public void Braces_a_leading_mark_and_blanks_are_escaped(string text, string key) => Assert.Equal(key, GrainKey.Escape(text));

    [Fact]
    public void An_escaped_key_holds_no_brace_and_gives_its_text_back() =>
        Text.Sample(text =>
        {
            var key = GrainKey.Escape(text);
            return !key.Contains('{') && !key.Contains('}') && !string.IsNullOrWhiteSpace(key) && GrainKey.Unescape(key) == text &&
                key.Length <= 1 + 3 * text.Length;
        });

    [Fact]
    public void Distinct_texts_never_share_a_key() =>
        Gen.Select(Text, Text).Where(p => p.Item1 != p.Item2)
            .Sample((a, b) => GrainKey.Escape(a) != GrainKey.Escape(b));
}
