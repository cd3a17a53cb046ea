using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Ical.Net.CalendarComponents;

namespace Escalation.Tests.Api;

/// <summary>iCalendar feeds of rotations and of people, read anonymously with the token in the feed URL.</summary>
public sealed class CalendarApiTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static readonly TimeSpan Past = TimeSpan.FromDays(7);
    private static readonly TimeSpan Ahead = TimeSpan.FromDays(84);

    private readonly HttpClient _admin = fixture.App.Client();
    private readonly HttpClient _anonymous = fixture.App.Client(key: null);

    [Fact]
    public async Task A_rotation_feed_read_with_its_token_holds_exactly_the_shifts_of_the_window_overrides_applied()
    {
        await Users("rcal-a", "rcal-b", "rcal-c", "rcal-x");
        var hour = ThisHour();
        await PutRotation("rcal", "Asia/Tokyo", "daily", 1, hour.AddDays(-20), ["rcal-a", "rcal-b", "rcal-c"]);

        // rcal-x covers whoever is scheduled for five hours in the middle of a shift two days from now.
        var (coverStart, coverEnd) = (hour.AddDays(2).AddHours(3), hour.AddDays(2).AddHours(8));
        var scheduled = (await _admin.GetAsync($"/api/v1/rotations/rcal/oncall?at={Q(coverStart)}").Ok()).Str("user_id");
        var overrideId = (await _admin.PostJson("/api/v1/rotations/rcal/overrides",
            new { type = "replace", user_id = "rcal-x", replaces_user_id = scheduled, start = Iso(coverStart), end = Iso(coverEnd) }).Ok()).Str("id");

        var feed = await CreateFeed("/api/v1/rotations/rcal/calendar-feeds");
        Assert.Equal("rotation", feed.Str("kind"));
        Assert.Equal("rcal", feed.Str("target_id"));
        Assert.StartsWith("cal_", feed.Str("id"));
        Assert.Contains("/api/v1/rotations/rcal/calendar.ics?token=", feed.Str("url"));

        var before = DateTimeOffset.UtcNow;
        var (calendar, events) = await Read(feed.Str("url"));
        var after = DateTimeOffset.UtcNow;
        Assert.Equal("On call: Rotation rcal", calendar.Properties.Get<string>("X-WR-CALNAME"));

        // The feed covers the last seven days to twelve weeks ahead, whole pieces at either end.
        var (from, to) = (events[0].Start, events[^1].End);
        Assert.True(from <= after - Past && events[0].End > before - Past, $"first event {events[0]} should contain now - 7 days");
        Assert.True(events[^1].Start < after + Ahead && to >= before + Ahead, $"last event {events[^1]} should contain now + 84 days");

        var shifts = await Shifts("rcal", from, to);
        Assert.Equal(
            shifts.Select(s => new Event(Time(s, "start"), Time(s, "end"), $"On call: {string.Join(", ", Ids(s["user_ids"]))}")).ToList(),
            events.Select(e => e with { Description = null }).ToList());

        // The override shows as its own piece, cut out of the scheduled user's shift.
        var piece = Assert.Single(events, e => e.Summary == "On call: rcal-x");
        Assert.Equal(coverStart, piece.Start);
        Assert.Equal(coverEnd, piece.End);
        Assert.Contains(overrideId, piece.Description);
        Assert.Contains($"scheduled {scheduled}", piece.Description);
        Assert.Contains(events, e => e.End == coverStart && e.Summary == $"On call: {scheduled}");
        Assert.Contains(events, e => e.Start == coverEnd && e.Summary == $"On call: {scheduled}");
        // Everyone shows up: the three participants and the person covering.
        Assert.Equal(["rcal-a", "rcal-b", "rcal-c", "rcal-x"], events.Select(e => e.Summary["On call: ".Length..]).Distinct().Order());
    }

    [Fact]
    public async Task A_user_feed_holds_only_that_users_time_across_rotations_named_by_rotation()
    {
        await Users("ucal-a", "ucal-b", "ucal-c");
        var hour = ThisHour();
        await PutRotation("ucal-main", "Asia/Tokyo", "daily", 1, hour.AddDays(-15), ["ucal-a", "ucal-b"]);
        await PutRotation("ucal-other", "Asia/Kolkata", "weekly", 1, hour.AddDays(-15), ["ucal-c"]);

        // ucal-a covers ucal-b for three hours, and is added to a rotation that does not list them.
        var bDay = await FirstShiftOf("ucal-main", "ucal-b", hour.AddDays(1));
        var (coverStart, coverEnd) = (bDay.AddHours(3), bDay.AddHours(6));
        await _admin.PostJson("/api/v1/rotations/ucal-main/overrides",
            new { type = "replace", user_id = "ucal-a", replaces_user_id = "ucal-b", start = Iso(coverStart), end = Iso(coverEnd) }).Ok();
        var (addStart, addEnd) = (hour.AddDays(10), hour.AddDays(10).AddHours(8));
        await _admin.PostJson("/api/v1/rotations/ucal-other/overrides",
            new { type = "add", user_id = "ucal-a", start = Iso(addStart), end = Iso(addEnd) }).Ok();

        var feed = await CreateFeed("/api/v1/users/ucal-a/calendar-feeds");
        Assert.Equal("user", feed.Str("kind"));
        Assert.Equal("ucal-a", feed.Str("target_id"));
        Assert.Contains("/api/v1/users/ucal-a/calendar.ics?token=", feed.Str("url"));

        var (calendar, events) = await Read(feed.Str("url"));
        Assert.Equal("On call: ucal-a", calendar.Properties.Get<string>("X-WR-CALNAME"));
        var (from, to) = (events.Min(e => e.Start), events.Max(e => e.End));

        var expected = new List<Event>();
        foreach (var rotation in (string[])["ucal-main", "ucal-other"])
            expected.AddRange((await Shifts(rotation, from, to))
                .Where(s => Ids(s["user_ids"]).Contains("ucal-a"))
                .Select(s => new Event(Time(s, "start"), Time(s, "end"), $"On call: Rotation {rotation}")));
        Assert.Equal(
            expected.OrderBy(e => e.Start).ThenBy(e => e.Summary, StringComparer.Ordinal).ToList(),
            events.Select(e => e with { Description = null }).OrderBy(e => e.Start).ThenBy(e => e.Summary, StringComparer.Ordinal).ToList());

        Assert.Contains(events, e => e.Start == coverStart && e.End == coverEnd && e.Summary == "On call: Rotation ucal-main");
        Assert.Contains(events, e => e.Start == addStart && e.End == addEnd && e.Summary == "On call: Rotation ucal-other");
        // ucal-b's own day is not in it, apart from the three hours ucal-a covers.
        Assert.DoesNotContain(events, e => e.Start < coverStart && e.End > coverStart);
        Assert.DoesNotContain(events, e => e.Start <= bDay && e.End > bDay);
        Assert.All(events, e => Assert.Matches(@"on call (\S+, )*ucal-a[,.]", e.Description));
    }

    [Fact]
    public async Task A_feed_is_refused_without_its_token_with_a_wrong_one_or_with_another_feeds_one()
    {
        await Users("tok-a", "tok-b");
        await PutRotation("tok-one", "UTC", "daily", 1, ThisHour().AddDays(-3), ["tok-a"]);
        await PutRotation("tok-two", "UTC", "daily", 1, ThisHour().AddDays(-3), ["tok-b"]);
        var token = Token(await CreateFeed("/api/v1/rotations/tok-one/calendar-feeds"));

        await _anonymous.GetAsync("/api/v1/rotations/tok-one/calendar.ics").Problem(401);
        var wrong = await _anonymous.GetAsync("/api/v1/rotations/tok-one/calendar.ics?token=ecal_not_the_token").Problem(401);
        Assert.Contains("token", wrong.Str("detail"));
        await _anonymous.GetAsync($"/api/v1/rotations/tok-two/calendar.ics?token={token}").Problem(401);
        await _anonymous.GetAsync($"/api/v1/users/tok-a/calendar.ics?token={token}").Problem(401);

        var right = await _anonymous.GetAsync($"/api/v1/rotations/tok-one/calendar.ics?token={token}");
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal("text/calendar", right.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_revoked_feed_is_refused()
    {
        await Users("rev-a");
        await PutRotation("rev", "UTC", "daily", 1, ThisHour().AddDays(-3), ["rev-a"]);
        var feed = await CreateFeed("/api/v1/rotations/rev/calendar-feeds");
        var path = PathOf(feed.Str("url"));
        Assert.Equal(HttpStatusCode.OK, (await _anonymous.GetAsync(path)).StatusCode);
        Assert.Contains(feed.Str("id"), (await _admin.GetAsync("/api/v1/calendar-feeds").Ok()).AsArray().Select(f => f!.Str("id")));

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"/api/v1/calendar-feeds/{feed.Str("id")}")).StatusCode);
        await _anonymous.GetAsync(path).Problem(401);
        await _admin.DeleteAsync($"/api/v1/calendar-feeds/{feed.Str("id")}").Problem(404);
        Assert.DoesNotContain(feed.Str("id"), (await _admin.GetAsync("/api/v1/calendar-feeds").Ok()).AsArray().Select(f => f!.Str("id")));
    }

    [Fact]
    public async Task Deleting_a_rotation_or_user_revokes_its_feeds_so_a_new_one_of_the_same_id_is_not_exposed()
    {
        await Users("gone-a");
        await PutRotation("gone", "UTC", "daily", 1, ThisHour().AddDays(-3), ["gone-a"]);
        var rotationFeed = PathOf((await CreateFeed("/api/v1/rotations/gone/calendar-feeds")).Str("url"));
        var userFeed = PathOf((await CreateFeed("/api/v1/users/gone-a/calendar-feeds")).Str("url"));
        Assert.Equal(HttpStatusCode.OK, (await _anonymous.GetAsync(rotationFeed)).StatusCode);
        var cacheControl = (await _anonymous.GetAsync(userFeed)).Headers.CacheControl!;
        Assert.True(cacheControl.NoStore && cacheControl.Private, $"Cache-Control: {cacheControl}");

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync("/api/v1/rotations/gone")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync("/api/v1/users/gone-a")).StatusCode);
        await Users("gone-a");
        await PutRotation("gone", "UTC", "daily", 1, ThisHour().AddDays(-3), ["gone-a"]);

        await _anonymous.GetAsync(rotationFeed).Problem(401);
        await _anonymous.GetAsync(userFeed).Problem(401);
    }

    [Fact]
    public async Task Feeds_for_unknown_rotations_and_users_are_404()
    {
        var rotation = await _admin.PostJson("/api/v1/rotations/no-such-rotation/calendar-feeds", new { }).Problem(404);
        Assert.Contains("no-such-rotation", rotation.Str("detail"));
        var user = await _admin.PostJson("/api/v1/users/no-such-user/calendar-feeds", new { }).Problem(404);
        Assert.Contains("no-such-user", user.Str("detail"));
    }

    private sealed record Event(DateTimeOffset Start, DateTimeOffset End, string Summary, string? Description = null);

    private async Task<JsonNode> CreateFeed(string url)
    {
        var response = await _admin.PostJson(url, new { });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>Fetches a feed as a calendar app would, with no Authorization header, and parses it with Ical.Net.</summary>
    private async Task<(Ical.Net.Calendar Calendar, List<Event> Events)> Read(string url)
    {
        Assert.Null(_anonymous.DefaultRequestHeaders.Authorization);
        var response = await _anonymous.GetAsync(PathOf(url));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        var calendar = Ical.Net.Calendar.Load(text)!;
        var events = calendar.Events.Select(ToEvent).OrderBy(e => e.Start).ToList();
        Assert.NotEmpty(events);
        return (calendar, events);
    }

    private static Event ToEvent(CalendarEvent e)
    {
        Assert.True(e.DtStart!.IsUtc && e.DtEnd!.IsUtc, "events are in UTC");
        return new(new DateTimeOffset(e.DtStart.AsUtc, TimeSpan.Zero), new DateTimeOffset(e.DtEnd.AsUtc, TimeSpan.Zero), e.Summary!, e.Description);
    }

    private async Task<List<JsonNode>> Shifts(string rotation, DateTimeOffset from, DateTimeOffset to) =>
        (await _admin.GetAsync($"/api/v1/rotations/{rotation}/shifts?from={Q(from)}&to={Q(to)}").Ok())["shifts"]!.AsArray().Select(s => s!).ToList();

    /// <summary>The start of the first shift of <paramref name="user"/> that begins after <paramref name="after"/>.</summary>
    private async Task<DateTimeOffset> FirstShiftOf(string rotation, string user, DateTimeOffset after)
    {
        var shifts = await Shifts(rotation, after, after.AddDays(7));
        return shifts.Select(s => (Start: Time(s, "shift_start"), User: s.Str("user_id"))).First(s => s.User == user && s.Start > after).Start;
    }

    private async Task Users(params string[] ids)
    {
        foreach (var id in ids)
            await _admin.PutJson($"/api/v1/users/{id}", new { name = id, email = $"{id}@example.com", time_zone = "UTC" }).Ok();
    }

    private Task PutRotation(string id, string zone, string type, int length, DateTimeOffset start, string[] participants) =>
        _admin.PutJson($"/api/v1/rotations/{id}", new
        {
            name = $"Rotation {id}",
            time_zone = zone,
            type,
            shift_length = length,
            start = Iso(start),
            participants,
        }).Ok();

    /// <summary>Now, rounded down to a whole hour, in UTC.</summary>
    private static DateTimeOffset ThisHour()
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
    }

    private static string PathOf(string url) => new Uri(url).PathAndQuery;

    private static string Token(JsonNode feed) => System.Web.HttpUtility.ParseQueryString(new Uri(feed.Str("url")).Query)["token"]!;

    private static string Iso(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH':'mm':'sszzz", CultureInfo.InvariantCulture);

    private static string Q(DateTimeOffset at) => Uri.EscapeDataString(Iso(at));

    private static DateTimeOffset Time(JsonNode node, string name) => DateTimeOffset.Parse(node.Str(name), CultureInfo.InvariantCulture);

    private static List<string> Ids(JsonNode? array) => array!.AsArray().Select(n => n!.GetValue<string>()).ToList();
}
