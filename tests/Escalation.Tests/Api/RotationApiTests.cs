using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Escalation.Testing;

namespace Escalation.Tests.Api;

/// <summary>Rotations over HTTP: who is on call, shifts across DST, overrides, swap requests and their announcements.</summary>
public sealed class RotationApiTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _admin = fixture.App.Client();

    [Fact]
    public async Task Put_creates_then_replaces_a_rotation_and_get_and_list_return_it()
    {
        await Users("crud-a", "crud-b");
        var created = await PutRotation("crud", "Asia/Tokyo", "weekly", 1, "2026-01-05T10:00:00+09:00", ["crud-a", "crud-b"]);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var replaced = await PutRotation("crud", "Asia/Tokyo", "daily", 2, "2026-01-05T10:00:00+09:00", ["crud-b", "crud-a"], "C0CRUDCHAN1");
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);

        var stored = await _admin.GetAsync("/api/v1/rotations/crud").Ok();
        Assert.Equal("crud", stored.Str("id"));
        Assert.Equal("daily", stored.Str("type"));
        Assert.Equal(2, stored["shift_length"]!.GetValue<int>());
        Assert.Equal("Asia/Tokyo", stored.Str("time_zone"));
        Assert.Equal(DateTimeOffset.Parse("2026-01-05T10:00:00+09:00", CultureInfo.InvariantCulture), Time(stored, "start"));
        Assert.Equal(["crud-b", "crud-a"], Ids(stored["participants"]));
        Assert.Equal("C0CRUDCHAN1", stored.Str("announce_channel"));

        var list = await _admin.GetAsync("/api/v1/rotations").Ok();
        Assert.Contains("crud", list.AsArray().Select(r => r!.Str("id")));
        await _admin.GetAsync("/api/v1/rotations/no-such-rotation").Problem(404);
    }

    [Fact]
    public async Task Weekly_tokyo_rotation_says_who_is_on_call_before_at_and_after_its_start()
    {
        string[] users = ["tky-a", "tky-b", "tky-c", "tky-d", "tky-e"];
        await Users(users);
        await PutRotation("tokyo-weekly", "Asia/Tokyo", "weekly", 1, "2026-01-05T10:00:00+09:00", users).Ok();

        var first = await OnCall("tokyo-weekly", "2026-01-05T10:00:00+09:00");
        Assert.Equal("tokyo-weekly", first.Str("rotation_id"));
        Assert.Equal("2026-01-05T10:00:00+09:00", first.Str("at"));
        AssertOnCall(first, "tky-a", 0, "2026-01-05T10:00:00+09:00", "2026-01-12T10:00:00+09:00");
        Assert.Equal(["tky-a"], Ids(first["user_ids"]));
        Assert.Null(first["scheduled_user_id"]);
        Assert.Empty(first["override_ids"]!.AsArray());

        // One second before the handoff is still the first shift; at it, the second.
        AssertOnCall(await OnCall("tokyo-weekly", "2026-01-12T09:59:59+09:00"), "tky-a", 0, "2026-01-05T10:00:00+09:00", "2026-01-12T10:00:00+09:00");
        AssertOnCall(await OnCall("tokyo-weekly", "2026-01-12T10:00:00+09:00"), "tky-b", 1, "2026-01-12T10:00:00+09:00", "2026-01-19T10:00:00+09:00");

        // An instant given in UTC is shown in the rotation's zone; five weeks in, the list has wrapped round.
        var wrapped = await OnCall("tokyo-weekly", "2026-02-10T00:00:00Z");
        Assert.Equal("2026-02-10T09:00:00+09:00", wrapped.Str("at"));
        AssertOnCall(wrapped, "tky-a", 5, "2026-02-09T10:00:00+09:00", "2026-02-16T10:00:00+09:00");

        // Before the start the index is negative and counts backwards through the participants.
        AssertOnCall(await OnCall("tokyo-weekly", "2026-01-01T00:00:00+09:00"), "tky-e", -1, "2025-12-29T10:00:00+09:00", "2026-01-05T10:00:00+09:00");
        AssertOnCall(await OnCall("tokyo-weekly", "2025-12-20T12:00:00+09:00"), "tky-c", -3, "2025-12-15T10:00:00+09:00", "2025-12-22T10:00:00+09:00");
        AssertOnCall(await OnCall("tokyo-weekly", "2026-01-05T09:59:59+09:00"), "tky-e", -1, "2025-12-29T10:00:00+09:00", "2026-01-05T10:00:00+09:00");

        var bad = await _admin.GetAsync("/api/v1/rotations/tokyo-weekly/oncall?at=2026-01-05T10:00:00").Problem(400);
        Assert.Contains("at", Fields(bad));
        await _admin.GetAsync($"/api/v1/rotations/no-such-rotation/oncall?at={Q("2026-01-05T10:00:00+09:00")}").Problem(404);
    }

    [Fact]
    public async Task Daily_new_york_shifts_keep_the_local_handoff_time_across_spring_forward()
    {
        string[] users = ["nyc-a", "nyc-b", "nyc-c"];
        await Users(users);
        await PutRotation("nyc-daily", "America/New_York", "daily", 1, "2026-03-05T09:00:00-05:00", users).Ok();

        var view = await _admin.GetAsync($"/api/v1/rotations/nyc-daily/shifts?from={Q("2026-03-06T00:00:00-05:00")}&to={Q("2026-03-11T00:00:00-04:00")}").Ok();
        Assert.Equal("nyc-daily", view.Str("rotation_id"));
        Assert.Equal("2026-03-06T00:00:00-05:00", view.Str("from"));
        Assert.Equal("2026-03-11T00:00:00-04:00", view.Str("to"));
        var shifts = view["shifts"]!.AsArray();
        Assert.Equal(
        [
            "0 nyc-a 2026-03-05T09:00:00-05:00 2026-03-06T09:00:00-05:00",
            "1 nyc-b 2026-03-06T09:00:00-05:00 2026-03-07T09:00:00-05:00",
            "2 nyc-c 2026-03-07T09:00:00-05:00 2026-03-08T09:00:00-04:00",
            "3 nyc-a 2026-03-08T09:00:00-04:00 2026-03-09T09:00:00-04:00",
            "4 nyc-b 2026-03-09T09:00:00-04:00 2026-03-10T09:00:00-04:00",
            "5 nyc-c 2026-03-10T09:00:00-04:00 2026-03-11T09:00:00-04:00",
        ], shifts.Select(s => $"{s!["index"]!.GetValue<long>()} {s.Str("user_id")} {s.Str("start")} {s.Str("end")}"));
        // No override: each piece is a whole shift.
        Assert.All(shifts.Select(s => s!), s =>
        {
            Assert.Equal(s.Str("start"), s.Str("shift_start"));
            Assert.Equal(s.Str("end"), s.Str("shift_end"));
            Assert.Null(s["scheduled_user_id"]);
            Assert.Empty(s["override_ids"]!.AsArray());
        });
        // The shift over the night the clocks go forward is an hour short.
        var spring = shifts[2]!;
        Assert.Equal(TimeSpan.FromHours(23), Time(spring, "end") - Time(spring, "start"));

        var onSunday = await OnCall("nyc-daily", "2026-03-08T12:00:00Z");
        AssertOnCall(onSunday, "nyc-c", 2, "2026-03-07T09:00:00-05:00", "2026-03-08T09:00:00-04:00");
        Assert.Equal("2026-03-08T08:00:00-04:00", onSunday.Str("at"));
    }

    [Fact]
    public async Task Shift_windows_must_be_forward_and_at_most_366_days()
    {
        await Users("win-a");
        await PutRotation("windows", "UTC", "daily", 1, "2026-01-01T00:00:00+00:00", ["win-a"]).Ok();

        var backwards = await _admin.GetAsync($"/api/v1/rotations/windows/shifts?from={Q("2026-02-01T00:00:00Z")}&to={Q("2026-02-01T00:00:00Z")}").Problem(400);
        Assert.Contains("to", Fields(backwards));
        var tooLong = await _admin.GetAsync($"/api/v1/rotations/windows/shifts?from={Q("2026-01-01T00:00:00Z")}&to={Q("2027-01-03T00:00:00Z")}").Problem(400);
        Assert.Contains("to", Fields(tooLong));
        Assert.Contains("366", tooLong.Str("detail"));
        var malformed = await _admin.GetAsync("/api/v1/rotations/windows/shifts?from=yesterday").Problem(400);
        Assert.Contains("from", Fields(malformed));

        var longest = await _admin.GetAsync($"/api/v1/rotations/windows/shifts?from={Q("2026-01-01T00:00:00Z")}&to={Q("2027-01-02T00:00:00Z")}").Ok();
        Assert.Equal(366, longest["shifts"]!.AsArray().Count);
        await _admin.GetAsync($"/api/v1/rotations/no-such-rotation/shifts?from={Q("2026-01-01T00:00:00Z")}&to={Q("2026-01-02T00:00:00Z")}").Problem(404);
    }

    [Fact]
    public async Task Times_at_the_ends_of_the_calendar_are_a_400_not_a_500()
    {
        await Users("far-a");
        await PutRotation("far", "Asia/Tokyo", "hourly", 1, "2026-01-01T00:00:00+09:00", ["far-a"]).Ok();

        foreach (var at in (string[])["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2200-01-01T00:00:00Z"])
        {
            Assert.Contains("at", Fields(await _admin.GetAsync($"/api/v1/rotations/far/oncall?at={Q(at)}").Problem(400)));
            Assert.Contains("from", Fields(await _admin.GetAsync($"/api/v1/rotations/far/shifts?from={Q(at)}").Problem(400)));
            Assert.Contains("start", Fields(await PutRotation("far", "Asia/Tokyo", "weekly", 53, at, ["far-a"]).Problem(400)));
            Assert.Contains("end", Fields(await Override("far", new { type = "add", user_id = "far-a", start = "2026-01-01T00:00:00Z", end = at }).Problem(400)));
        }
        // The latest accepted instant still answers.
        Assert.Equal("far-a", (await OnCall("far", "2199-12-31T23:59:59Z")).Str("user_id"));
    }

    [Fact]
    public async Task Offsets_beyond_fourteen_hours_or_with_seconds_are_a_400()
    {
        await Users("off-a");
        await PutRotation("offsets", "UTC", "daily", 1, "2026-01-01T00:00:00+00:00", ["off-a"]).Ok();
        foreach (var at in (string[])["2026-01-05T10:00:00-14:01", "2026-01-05T10:00:00+15:00", "2026-01-05T10:00:00+09:00:30"])
        {
            Assert.Contains("at", Fields(await _admin.GetAsync($"/api/v1/rotations/offsets/oncall?at={Q(at)}").Problem(400)));
            Assert.Contains("start", Fields(await PutRotation("offsets", "UTC", "daily", 1, at, ["off-a"]).Problem(400)));
        }
        Assert.Equal("off-a", (await OnCall("offsets", "2026-01-05T10:00:00+14:00")).Str("user_id"));
    }

    [Fact]
    public async Task Overrides_and_swaps_that_could_change_nothing_or_span_over_a_year_are_a_400()
    {
        await Users("noop-a", "noop-b", "noop-x", "noop-out");
        var d = Day(3);
        await PutRotation("noop", "UTC", "daily", 1, Iso(d), ["noop-a", "noop-b"]).Ok();

        // noop-b is not scheduled on day 0: replacing or removing them there would silently do nothing.
        var replace = await Override("noop", new { type = "replace", user_id = "noop-x", replaces_user_id = "noop-b", start = Iso(d.AddHours(1)), end = Iso(d.AddHours(5)) }).Problem(400);
        Assert.Contains("replaces_user_id", Fields(replace));
        Assert.Contains("user_id", Fields(await Override("noop", new { type = "remove", user_id = "noop-b", start = Iso(d.AddHours(1)), end = Iso(d.AddHours(5)) }).Problem(400)));
        Assert.Contains("end", Fields(await Override("noop", new { type = "add", user_id = "noop-x", start = Iso(d), end = Iso(d.AddDays(367)) }).Problem(400)));

        // Someone outside the rotation asking for a swap over a long window is refused without walking it.
        var outsider = await _admin.PostJson("/api/v1/rotations/noop/swap-requests",
            new { requester_id = "noop-out", covering_user_id = "noop-x", start = Iso(d), end = Iso(d.AddDays(300)) }).Problem(400);
        Assert.Contains("requester_id", Fields(outsider));
        Assert.Contains("end", Fields(await _admin.PostJson("/api/v1/rotations/noop/swap-requests",
            new { requester_id = "noop-a", covering_user_id = "noop-x", start = Iso(d), end = Iso(d.AddDays(400)) }).Problem(400)));
        Assert.Contains("reason", Fields(await _admin.PostJson("/api/v1/rotations/noop/swap-requests",
            new { requester_id = "noop-a", covering_user_id = "noop-x", start = Iso(d), end = Iso(d.AddHours(2)), reason = "line one\npage.sent forged" }).Problem(400)));

        // A second pending request from the same person for overlapping time is a 409.
        await _admin.PostJson("/api/v1/rotations/noop/swap-requests",
            new { requester_id = "noop-a", covering_user_id = "noop-x", start = Iso(d), end = Iso(d.AddHours(4)) }).Ok();
        await _admin.PostJson("/api/v1/rotations/noop/swap-requests",
            new { requester_id = "noop-a", covering_user_id = "noop-b", start = Iso(d.AddHours(2)), end = Iso(d.AddHours(6)) }).Problem(409);
    }

    [Fact]
    public async Task A_user_named_by_an_override_or_pending_swap_cannot_be_deleted()
    {
        await Users("del-a", "del-b", "del-cover", "del-asked");
        var d = Day(3);
        await PutRotation("del", "UTC", "daily", 1, Iso(d), ["del-a", "del-b"]).Ok();
        var cover = (await Override("del", new { type = "replace", user_id = "del-cover", replaces_user_id = "del-a", start = Iso(d), end = Iso(d.AddHours(4)) }).Ok()).Str("id");
        var swap = (await _admin.PostJson("/api/v1/rotations/del/swap-requests",
            new { requester_id = "del-b", covering_user_id = "del-asked", start = Iso(d.AddDays(1)), end = Iso(d.AddDays(1).AddHours(4)) }).Ok()).Str("id");

        Assert.Contains(cover, (await _admin.DeleteAsync("/api/v1/users/del-cover").Problem(409)).Str("detail"));
        Assert.Contains(swap, (await _admin.DeleteAsync("/api/v1/users/del-asked").Problem(409)).Str("detail"));

        await _admin.DeleteAsync($"/api/v1/rotations/del/overrides/{cover}");
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync("/api/v1/users/del-cover")).StatusCode);
    }

    [Fact]
    public async Task Invalid_rotations_are_a_400_naming_each_field()
    {
        await Users("val-a");
        var first = await _admin.PutJson("/api/v1/rotations/invalid", new
        {
            name = "Invalid",
            type = "fortnightly",
            start = "2026-01-05T10:00:00",
            participants = new[] { "val-a" },
            announce_channel = "#oncall",
        }).Problem(400);
        Assert.Equal(["announce_channel", "shift_length", "start", "time_zone", "type"], Fields(first).Order());

        var second = await _admin.PutJson("/api/v1/rotations/invalid", new
        {
            name = "Invalid",
            time_zone = "Mars/Olympus",
            type = "weekly",
            shift_length = 0,
            start = "2026-01-05T10:00:00+09:00",
            participants = Array.Empty<string>(),
        }).Problem(400);
        Assert.Equal(["participants", "shift_length", "time_zone"], Fields(second).Order());

        var missingStart = await _admin.PutJson("/api/v1/rotations/invalid", new
        {
            name = "Invalid", time_zone = "UTC", type = "daily", shift_length = 1, participants = new[] { "val-a" },
        }).Problem(400);
        Assert.Equal(["start"], Fields(missingStart));

        // 01:30 on 2026-11-01 happens twice in New York; -05:00 names the second time.
        var repeated = await PutRotation("invalid", "America/New_York", "daily", 1, "2026-11-01T01:30:00-05:00", ["val-a"]).Problem(400);
        Assert.Equal(["start"], Fields(repeated));
        Assert.Contains("2026-11-01T01:30:00-04:00", repeated.Str("detail"));

        var tooLong = await PutRotation("invalid", "UTC", "daily", 367, "2026-01-05T10:00:00+00:00", ["val-a"]).Problem(400);
        Assert.Equal(["shift_length"], Fields(tooLong));

        await _admin.GetAsync("/api/v1/rotations/invalid").Problem(404);
    }

    [Fact]
    public async Task Unknown_participants_are_a_422_naming_them()
    {
        await Users("unk-a");
        var problem = await PutRotation("unknown-people", "UTC", "daily", 1, "2026-01-05T10:00:00+00:00", ["unk-a", "unk-ghost", "unk-phantom"]).Problem(422);
        Assert.Contains("user 'unk-ghost'", problem.Str("detail"));
        Assert.Contains("user 'unk-phantom'", problem.Str("detail"));
        Assert.DoesNotContain("unk-a'", problem.Str("detail"));
        await _admin.GetAsync("/api/v1/rotations/unknown-people").Problem(404);
    }

    [Fact]
    public async Task A_rotation_targeted_by_a_policy_cannot_be_deleted_until_the_policy_changes()
    {
        await Users("del-a");
        await PutRotation("del-rot", "UTC", "daily", 1, "2026-01-05T10:00:00+00:00", ["del-a"]).Ok();
        await _admin.PutJson("/api/v1/escalation-policies/del-policy", Policy(new { type = "rotation", id = "del-rot" })).Ok();

        var refused = await _admin.DeleteAsync("/api/v1/rotations/del-rot").Problem(409);
        Assert.Contains("escalation policy del-policy", refused.Str("detail"));
        await _admin.GetAsync("/api/v1/rotations/del-rot").Ok();

        await _admin.PutJson("/api/v1/escalation-policies/del-policy", Policy(new { type = "user", id = "del-a" })).Ok();
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync("/api/v1/rotations/del-rot")).StatusCode);
        await _admin.GetAsync("/api/v1/rotations/del-rot").Problem(404);
        await _admin.GetAsync($"/api/v1/rotations/del-rot/oncall?at={Q("2026-01-06T00:00:00Z")}").Problem(404);
        await _admin.DeleteAsync("/api/v1/rotations/del-rot").Problem(404);
    }

    [Fact]
    public async Task A_policy_naming_an_unknown_rotation_is_a_422()
    {
        var problem = await _admin.PutJson("/api/v1/escalation-policies/ghost-rotation-policy",
            Policy(new { type = "rotation", id = "no-such-rotation" })).Problem(422);
        Assert.Contains("rotation 'no-such-rotation'", problem.Str("detail"));
        await _admin.GetAsync("/api/v1/escalation-policies/ghost-rotation-policy").Problem(404);
    }

    [Fact]
    public async Task A_participant_cannot_be_deleted_while_in_a_rotation()
    {
        await Users("part-a");
        await PutRotation("part-rot", "UTC", "daily", 1, "2026-01-05T10:00:00+00:00", ["part-a"]).Ok();

        var refused = await _admin.DeleteAsync("/api/v1/users/part-a").Problem(409);
        Assert.Contains("rotation part-rot", refused.Str("detail"));

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync("/api/v1/rotations/part-rot")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync("/api/v1/users/part-a")).StatusCode);
    }

    [Fact]
    public async Task Overrides_replace_add_and_remove_who_is_on_call_and_deleting_one_restores_the_schedule()
    {
        await Users("ovr-a", "ovr-b", "ovr-c", "ovr-x", "ovr-y");
        var d = Day(3);
        await PutRotation("ovr", "UTC", "daily", 1, Iso(d), ["ovr-a", "ovr-b", "ovr-c"]).Ok();

        // Replace: ovr-x covers ovr-a for six hours of shift 0.
        var replace = await Override("ovr", new { type = "replace", user_id = "ovr-x", replaces_user_id = "ovr-a", start = Iso(d.AddHours(6)), end = Iso(d.AddHours(12)), reason = "dentist" });
        Assert.Equal(HttpStatusCode.Created, replace.StatusCode);
        var replaceBody = await replace.Json();
        var replaceId = replaceBody.Str("id");
        Assert.Equal("replace", replaceBody.Str("type"));
        Assert.Equal("ovr-a", replaceBody.Str("replaces_user_id"));
        Assert.EndsWith($"/api/v1/rotations/ovr/overrides/{replaceId}", replace.Headers.Location!.ToString());

        var covered = await OnCall("ovr", Iso(d.AddHours(8)));
        Assert.Equal("ovr-x", covered.Str("user_id"));
        Assert.Equal(["ovr-x"], Ids(covered["user_ids"]));
        Assert.Equal("ovr-a", covered.Str("scheduled_user_id"));
        Assert.Equal([replaceId], Ids(covered["override_ids"]));
        Assert.Equal(0, covered["index"]!.GetValue<long>());
        Assert.Equal(d, Time(covered, "shift_start"));
        Assert.Equal(d.AddDays(1), Time(covered, "shift_end"));

        // The override's end is exclusive: at it, the schedule holds again.
        var after = await OnCall("ovr", Iso(d.AddHours(12)));
        Assert.Equal("ovr-a", after.Str("user_id"));
        Assert.Null(after["scheduled_user_id"]);
        Assert.Empty(after["override_ids"]!.AsArray());

        // Add: ovr-y joins ovr-b in shift 1.
        var addId = (await Override("ovr", new { type = "add", user_id = "ovr-y", start = Iso(d.AddDays(1)), end = Iso(d.AddDays(1).AddHours(6)) }).Ok()).Str("id");
        var added = await OnCall("ovr", Iso(d.AddDays(1).AddHours(1)));
        Assert.Equal(["ovr-b", "ovr-y"], Ids(added["user_ids"]));
        Assert.Equal("ovr-b", added.Str("user_id"));
        Assert.Equal([addId], Ids(added["override_ids"]));

        // Remove: nobody is on call for the first three hours of shift 2.
        var removeId = (await Override("ovr", new { type = "remove", user_id = "ovr-c", start = Iso(d.AddDays(2)), end = Iso(d.AddDays(2).AddHours(3)) }).Ok()).Str("id");
        var removed = await OnCall("ovr", Iso(d.AddDays(2).AddHours(1)));
        Assert.Empty(removed["user_ids"]!.AsArray());
        Assert.Null(removed["user_id"]);
        Assert.Equal("ovr-c", removed.Str("scheduled_user_id"));
        Assert.Equal([removeId], Ids(removed["override_ids"]));

        var listed = await _admin.GetAsync("/api/v1/rotations/ovr/overrides").Ok();
        Assert.Equal([replaceId, addId, removeId], Ids(listed.AsArray().Select(o => o!["id"])));

        // Deleting the replace restores ovr-a; a second delete finds nothing.
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"/api/v1/rotations/ovr/overrides/{replaceId}")).StatusCode);
        var restored = await OnCall("ovr", Iso(d.AddHours(8)));
        Assert.Equal("ovr-a", restored.Str("user_id"));
        Assert.Null(restored["scheduled_user_id"]);
        Assert.Empty(restored["override_ids"]!.AsArray());
        await _admin.DeleteAsync($"/api/v1/rotations/ovr/overrides/{replaceId}").Problem(404);
        Assert.DoesNotContain(replaceId, Ids((await _admin.GetAsync("/api/v1/rotations/ovr/overrides").Ok()).AsArray().Select(o => o!["id"])));
    }

    [Fact]
    public async Task Overlapping_overrides_that_name_the_same_person_are_a_409()
    {
        await Users("cfl-a", "cfl-b", "cfl-x", "cfl-y");
        var d = Day(3);
        await PutRotation("cfl", "UTC", "daily", 1, Iso(d), ["cfl-a", "cfl-b"]).Ok();
        var first = (await Override("cfl", new { type = "replace", user_id = "cfl-x", replaces_user_id = "cfl-a", start = Iso(d.AddHours(6)), end = Iso(d.AddHours(12)) }).Ok()).Str("id");

        // Same replaced person, overlapping.
        var sameReplaced = await Override("cfl", new { type = "replace", user_id = "cfl-y", replaces_user_id = "cfl-a", start = Iso(d.AddHours(10)), end = Iso(d.AddHours(14)) }).Problem(409);
        Assert.Contains(first, sameReplaced.Str("detail"));
        // The covering person added elsewhere at the same time.
        await Override("cfl", new { type = "add", user_id = "cfl-x", start = Iso(d.AddHours(7)), end = Iso(d.AddHours(8)) }).Problem(409);
        // Removing the replaced person at the same time.
        await Override("cfl", new { type = "remove", user_id = "cfl-a", start = Iso(d), end = Iso(d.AddHours(7)) }).Problem(409);

        // Touching is not overlapping, and another person is no conflict.
        await Override("cfl", new { type = "replace", user_id = "cfl-y", replaces_user_id = "cfl-a", start = Iso(d.AddHours(12)), end = Iso(d.AddHours(14)) }).Ok();
        await Override("cfl", new { type = "add", user_id = "cfl-y", start = Iso(d.AddHours(6)), end = Iso(d.AddHours(12)) }).Ok();

        Assert.Equal(3, (await _admin.GetAsync("/api/v1/rotations/cfl/overrides").Ok()).AsArray().Count);
    }

    [Fact]
    public async Task Editing_a_rotation_keeps_its_overrides_and_deleting_it_forgets_them()
    {
        await Users("edt-a", "edt-b", "edt-x");
        var d = Day(3);
        await PutRotation("edt", "UTC", "daily", 1, Iso(d), ["edt-a", "edt-b"]).Ok();
        var id = (await Override("edt", new { type = "replace", user_id = "edt-x", replaces_user_id = "edt-a", start = Iso(d.AddHours(1)), end = Iso(d.AddHours(2)) }).Ok()).Str("id");
        Assert.Equal("edt-x", (await OnCall("edt", Iso(d.AddHours(1)))).Str("user_id"));

        // With the order swapped, edt-a is not scheduled then, so the replace does nothing, but it is kept.
        await PutRotation("edt", "UTC", "daily", 1, Iso(d), ["edt-b", "edt-a"]).Ok();
        var reordered = await OnCall("edt", Iso(d.AddHours(1)));
        Assert.Equal("edt-b", reordered.Str("user_id"));
        Assert.Empty(reordered["override_ids"]!.AsArray());
        Assert.Equal([id], Ids((await _admin.GetAsync("/api/v1/rotations/edt/overrides").Ok()).AsArray().Select(o => o!["id"])));
        await PutRotation("edt", "UTC", "daily", 1, Iso(d), ["edt-a", "edt-b"]).Ok();
        Assert.Equal("edt-x", (await OnCall("edt", Iso(d.AddHours(1)))).Str("user_id"));

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync("/api/v1/rotations/edt")).StatusCode);
        await _admin.GetAsync("/api/v1/rotations/edt/overrides").Problem(404);
        Assert.Equal(HttpStatusCode.Created, (await PutRotation("edt", "UTC", "daily", 1, Iso(d), ["edt-a", "edt-b"])).StatusCode);
        Assert.Empty((await _admin.GetAsync("/api/v1/rotations/edt/overrides").Ok()).AsArray());
        var fresh = await OnCall("edt", Iso(d.AddHours(1)));
        Assert.Equal("edt-a", fresh.Str("user_id"));
        Assert.Empty(fresh["override_ids"]!.AsArray());
    }

    [Fact]
    public async Task Swap_requests_for_past_time_or_unknown_rotations_are_refused()
    {
        await Users("pst-a", "pst-b");
        var d = Day(-10);
        await PutRotation("pst", "UTC", "daily", 1, Iso(d), ["pst-a", "pst-b"]).Ok();

        var past = await _admin.PostJson("/api/v1/rotations/pst/swap-requests",
            new { requester_id = "pst-a", covering_user_id = "pst-b", start = Iso(d), end = Iso(d.AddHours(4)), reason = "late" }).Problem(400);
        Assert.Equal(["end"], Fields(past));
        var backwards = await _admin.PostJson("/api/v1/rotations/pst/swap-requests",
            new { requester_id = "pst-a", covering_user_id = "pst-b", start = Iso(Day(20)), end = Iso(Day(19)), reason = "x" }).Problem(400);
        Assert.Equal(["end"], Fields(backwards));
        await _admin.PostJson("/api/v1/rotations/no-such-rotation/swap-requests",
            new { requester_id = "pst-a", covering_user_id = "pst-b", start = Iso(Day(20)), end = Iso(Day(21)), reason = "x" }).Problem(404);
        await _admin.PostJson("/api/v1/rotations/pst/swap-requests/no-such-swap/accept", new { user_id = "pst-b" }).Problem(404);
        Assert.Empty((await _admin.GetAsync("/api/v1/rotations/pst/swap-requests").Ok()).AsArray());
    }

    [Fact]
    public async Task Bad_overrides_are_400_unknown_users_422_and_unknown_rotations_404()
    {
        await Users("bad-a", "bad-x");
        var d = Day(3);
        await PutRotation("bad-ovr", "UTC", "daily", 1, Iso(d), ["bad-a"]).Ok();

        var fields = await Override("bad-ovr", new { type = "swap", user_id = "bad-x", start = "tomorrow", end = Iso(d) }).Problem(400);
        Assert.Equal(["start", "type"], Fields(fields).Order());

        var noReplaced = await Override("bad-ovr", new { type = "replace", user_id = "bad-x", start = Iso(d), end = Iso(d.AddHours(1)) }).Problem(400);
        Assert.Equal(["replaces_user_id"], Fields(noReplaced));

        var backwards = await Override("bad-ovr", new { type = "add", user_id = "bad-x", start = Iso(d.AddHours(2)), end = Iso(d.AddHours(1)) }).Problem(400);
        Assert.Equal(["end"], Fields(backwards));

        var noUser = await Override("bad-ovr", new { type = "add", start = Iso(d), end = Iso(d.AddHours(1)) }).Problem(400);
        Assert.Equal(["user_id"], Fields(noUser));

        var unknown = await Override("bad-ovr", new { type = "replace", user_id = "bad-nobody", replaces_user_id = "bad-a", start = Iso(d), end = Iso(d.AddHours(1)) }).Problem(422);
        Assert.Contains("user 'bad-nobody'", unknown.Str("detail"));

        await Override("no-such-rotation", new { type = "add", user_id = "bad-x", start = Iso(d), end = Iso(d.AddHours(1)) }).Problem(404);
        await _admin.GetAsync("/api/v1/rotations/no-such-rotation/overrides").Problem(404);
        Assert.Empty((await _admin.GetAsync("/api/v1/rotations/bad-ovr/overrides").Ok()).AsArray());
    }

    [Fact]
    public async Task Shifts_are_split_where_an_override_begins_and_ends()
    {
        await Users("cut-a", "cut-b", "cut-x");
        var d = Day(3);
        await PutRotation("cut", "UTC", "daily", 1, Iso(d), ["cut-a", "cut-b"]).Ok();
        var id = (await Override("cut", new { type = "replace", user_id = "cut-x", replaces_user_id = "cut-a", start = Iso(d.AddHours(6)), end = Iso(d.AddHours(12)) }).Ok()).Str("id");

        var view = await _admin.GetAsync($"/api/v1/rotations/cut/shifts?from={Q(Iso(d))}&to={Q(Iso(d.AddDays(2)))}").Ok();
        var shifts = view["shifts"]!.AsArray().Select(s => s!).ToList();
        Assert.Equal(
        [
            $"0 cut-a - {Hour(d)} {Hour(d.AddHours(6))} []",
            $"0 cut-x cut-a {Hour(d.AddHours(6))} {Hour(d.AddHours(12))} [{id}]",
            $"0 cut-a - {Hour(d.AddHours(12))} {Hour(d.AddDays(1))} []",
            $"1 cut-b - {Hour(d.AddDays(1))} {Hour(d.AddDays(2))} []",
        ], shifts.Select(s =>
            $"{s["index"]!.GetValue<long>()} {s.Str("user_id")} {s["scheduled_user_id"]?.GetValue<string>() ?? "-"} {Hour(Time(s, "start"))} {Hour(Time(s, "end"))} [{string.Join(",", Ids(s["override_ids"]))}]"));
        // Every piece of shift 0 still names the whole shift.
        Assert.All(shifts.Take(3), s =>
        {
            Assert.Equal(d, Time(s, "shift_start"));
            Assert.Equal(d.AddDays(1), Time(s, "shift_end"));
        });

        // A window inside the override shows just that piece.
        var inside = await _admin.GetAsync($"/api/v1/rotations/cut/shifts?from={Q(Iso(d.AddHours(7)))}&to={Q(Iso(d.AddHours(8)))}").Ok();
        var only = Assert.Single(inside["shifts"]!.AsArray())!;
        Assert.Equal("cut-x", only.Str("user_id"));
        Assert.Equal(d.AddHours(6), Time(only, "start"));
        Assert.Equal(d.AddHours(12), Time(only, "end"));
    }

    [Fact]
    public async Task A_key_bound_to_a_user_decides_swaps_as_that_user_only()
    {
        await Users("swk-a", "swk-b", "swk-c");
        var d = Day(3);
        await PutRotation("swk", "UTC", "daily", 1, Iso(d), ["swk-a", "swk-b", "swk-c"]).Ok();
        var swapId = (await _admin.PostJson("/api/v1/rotations/swk/swap-requests", new
        {
            requester_id = "swk-b", covering_user_id = "swk-c", start = Iso(d.AddDays(1)), end = Iso(d.AddDays(1).AddHours(12)), reason = "dentist",
        }).Ok()).Str("id");
        async Task<HttpClient> KeyOf(string? user) => fixture.App.Client(
            (await _admin.PostJson("/api/v1/api-keys", new { name = $"key of {user}", role = "responder", user_id = user }).Ok()).Str("key"));

        var requester = await (await KeyOf("swk-b")).PostJson($"/api/v1/rotations/swk/swap-requests/{swapId}/accept", new { user_id = "swk-c" }).Problem(403);
        Assert.Contains("acts as user 'swk-b'", requester.Str("detail"));
        await (await KeyOf(null)).PostJson($"/api/v1/rotations/swk/swap-requests/{swapId}/accept", new { user_id = "swk-c" }).Problem(403);
        Assert.Equal("pending", (await _admin.GetAsync("/api/v1/rotations/swk/swap-requests").Ok()).AsArray().Single()!.Str("status"));

        var accepted = await (await KeyOf("swk-c")).PostJson($"/api/v1/rotations/swk/swap-requests/{swapId}/accept", new { }).Ok();
        Assert.Equal("accepted", accepted["swap"]!.Str("status"));
        Assert.Equal("swk-c", accepted["override"]!.Str("user_id"));
    }

    [Fact]
    public async Task A_key_bound_to_a_user_requests_swaps_for_that_user_only()
    {
        await Users("swr-a", "swr-b", "swr-c");
        var d = Day(3);
        await PutRotation("swr", "UTC", "daily", 1, Iso(d), ["swr-a", "swr-b", "swr-c"]).Ok();
        var (start, end) = (Iso(d.AddDays(1)), Iso(d.AddDays(1).AddHours(12))); // shift 1: swr-b
        var keyOfB = fixture.App.Client(
            (await _admin.PostJson("/api/v1/api-keys", new { name = "key of swr-b", role = "responder", user_id = "swr-b" }).Ok()).Str("key"));

        var forSomeoneElse = await keyOfB.PostJson("/api/v1/rotations/swr/swap-requests",
            new { requester_id = "swr-a", covering_user_id = "swr-c", start = Iso(d), end = Iso(d.AddHours(12)), reason = "x" }).Problem(403);
        Assert.Contains("acts as user 'swr-b'", forSomeoneElse.Str("detail"));
        Assert.Contains("requester_id", forSomeoneElse.Str("detail"));
        Assert.Empty((await _admin.GetAsync("/api/v1/rotations/swr/swap-requests").Ok()).AsArray());

        var own = await keyOfB.PostJson("/api/v1/rotations/swr/swap-requests", new { covering_user_id = "swr-c", start, end, reason = "dentist" });
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        Assert.Equal("swr-b", (await own.Json()).Str("requester_id"));
    }

    [Fact]
    public async Task A_swap_request_is_accepted_by_the_covering_user_and_announced_to_requester_and_channel()
    {
        await Users("swp-a", "swp-b", "swp-c");
        var d = Day(3);
        const string channel = "C0SWAPCHAN1";
        await PutRotation("swp", "UTC", "daily", 1, Iso(d), ["swp-a", "swp-b", "swp-c"], channel).Ok();
        var (start, end) = (d.AddDays(1), d.AddDays(1).AddHours(12)); // shift 1: swp-b

        var notScheduled = await _admin.PostJson("/api/v1/rotations/swp/swap-requests",
            new { requester_id = "swp-a", covering_user_id = "swp-c", start = Iso(start), end = Iso(end), reason = "x" }).Problem(400);
        Assert.Equal(["requester_id"], Fields(notScheduled));
        var self = await _admin.PostJson("/api/v1/rotations/swp/swap-requests",
            new { requester_id = "swp-b", covering_user_id = "swp-b", start = Iso(start), end = Iso(end), reason = "x" }).Problem(400);
        Assert.Contains("covering_user_id", Fields(self));
        var unknown = await _admin.PostJson("/api/v1/rotations/swp/swap-requests",
            new { requester_id = "swp-b", covering_user_id = "swp-nobody", start = Iso(start), end = Iso(end), reason = "x" }).Problem(422);
        Assert.Contains("user 'swp-nobody'", unknown.Str("detail"));

        var requested = await _admin.PostJson("/api/v1/rotations/swp/swap-requests",
            new { requester_id = "swp-b", covering_user_id = "swp-c", start = Iso(start), end = Iso(end), reason = "wedding" });
        Assert.Equal(HttpStatusCode.Created, requested.StatusCode);
        var swap = await requested.Json();
        var swapId = swap.Str("id");
        Assert.Equal("pending", swap.Str("status"));
        Assert.Equal("swp-b", swap.Str("requester_id"));
        Assert.Equal("swp-c", swap.Str("covering_user_id"));
        Assert.Null(swap["override_id"]);

        // Still swp-b until accepted.
        Assert.Equal("swp-b", (await OnCall("swp", Iso(start.AddHours(1)))).Str("user_id"));

        var asked = await Eventually.Get(() => Announcements("swp"),
            a => a.Any(n => n.Str("kind") == "swap_requested" && n.Str("status") == "sent"), "the swap request to reach swp-c");
        var ask = Assert.Single(asked, n => n.Str("kind") == "swap_requested");
        Assert.Equal("swp-c", ask.Str("user_id"));
        Assert.Null(ask["slack_channel"]);
        Assert.Contains(swapId, ask.Str("text"));
        Assert.Contains("wedding", ask.Str("text"));

        var wrongUser = await _admin.PostJson($"/api/v1/rotations/swp/swap-requests/{swapId}/accept", new { user_id = "swp-a" }).Problem(403);
        Assert.Contains("swp-c", wrongUser.Str("detail"));
        await _admin.PostJson($"/api/v1/rotations/swp/swap-requests/{swapId}/accept", new { user_id = "swp-b" }).Problem(403);
        await _admin.PostJson($"/api/v1/rotations/swp/swap-requests/no-such-swap/accept", new { user_id = "swp-c" }).Problem(404);

        var accepted = await _admin.PostJson($"/api/v1/rotations/swp/swap-requests/{swapId}/accept", new { user_id = "swp-c" }).Ok();
        Assert.Equal("accepted", accepted["swap"]!.Str("status"));
        var overrideId = accepted["swap"]!.Str("override_id");
        var created = accepted["override"]!;
        Assert.Equal(overrideId, created.Str("id"));
        Assert.Equal("replace", created.Str("type"));
        Assert.Equal("swp-c", created.Str("user_id"));
        Assert.Equal("swp-b", created.Str("replaces_user_id"));
        Assert.Equal(start, Time(created, "start"));
        Assert.Equal(end, Time(created, "end"));

        var covered = await OnCall("swp", Iso(start.AddHours(1)));
        Assert.Equal("swp-c", covered.Str("user_id"));
        Assert.Equal("swp-b", covered.Str("scheduled_user_id"));
        Assert.Equal([overrideId], Ids(covered["override_ids"]));
        Assert.Equal("swp-b", (await OnCall("swp", Iso(end))).Str("user_id"));
        Assert.Contains(overrideId, Ids((await _admin.GetAsync("/api/v1/rotations/swp/overrides").Ok()).AsArray().Select(o => o!["id"])));

        var again = await _admin.PostJson($"/api/v1/rotations/swp/swap-requests/{swapId}/accept", new { user_id = "swp-c" }).Problem(409);
        Assert.Contains("already accepted", again.Str("detail"));
        await _admin.PostJson($"/api/v1/rotations/swp/swap-requests/{swapId}/decline", new { user_id = "swp-c" }).Problem(409);

        var told = await Eventually.Get(() => Announcements("swp"),
            a => a.Count(n => n.Str("kind") == "swap_accepted" && n.Str("status") == "sent") == 2, "the acceptance to reach swp-b and the channel");
        var toRequester = Assert.Single(told, n => n.Str("kind") == "swap_accepted" && n["user_id"] is not null);
        Assert.Equal("swp-b", toRequester.Str("user_id"));
        var toChannel = Assert.Single(told, n => n.Str("kind") == "swap_accepted" && n["slack_channel"] is not null);
        Assert.Equal(channel, toChannel.Str("slack_channel"));
        Assert.Null(toChannel["user_id"]);
        Assert.Contains("swp-c covers swp-b", toChannel.Str("text"));
        Assert.Equal(toRequester.Str("text"), toChannel.Str("text"));

        var listed = await _admin.GetAsync("/api/v1/rotations/swp/swap-requests").Ok();
        var stored = Assert.Single(listed.AsArray())!;
        Assert.Equal("accepted", stored.Str("status"));
        Assert.Equal(overrideId, stored.Str("override_id"));
    }

    [Fact]
    public async Task A_declined_swap_request_changes_nothing_and_tells_the_requester_and_channel()
    {
        await Users("dcl-a", "dcl-b");
        var d = Day(3);
        const string channel = "C0DECLINE01";
        await PutRotation("dcl", "UTC", "daily", 1, Iso(d), ["dcl-a", "dcl-b"], channel).Ok();

        var swapId = (await _admin.PostJson("/api/v1/rotations/dcl/swap-requests",
            new { requester_id = "dcl-a", covering_user_id = "dcl-b", start = Iso(d.AddHours(2)), end = Iso(d.AddHours(4)), reason = "flight" }).Ok()).Str("id");

        await _admin.PostJson($"/api/v1/rotations/dcl/swap-requests/{swapId}/decline", new { user_id = "dcl-a" }).Problem(403);
        var declined = await _admin.PostJson($"/api/v1/rotations/dcl/swap-requests/{swapId}/decline", new { user_id = "dcl-b" }).Ok();
        Assert.Equal("declined", declined["swap"]!.Str("status"));
        Assert.Null(declined["swap"]!["override_id"]);
        Assert.Null(declined["override"]);

        var onCall = await OnCall("dcl", Iso(d.AddHours(3)));
        Assert.Equal("dcl-a", onCall.Str("user_id"));
        Assert.Empty(onCall["override_ids"]!.AsArray());
        Assert.Empty((await _admin.GetAsync("/api/v1/rotations/dcl/overrides").Ok()).AsArray());
        await _admin.PostJson($"/api/v1/rotations/dcl/swap-requests/{swapId}/accept", new { user_id = "dcl-b" }).Problem(409);

        var told = await Eventually.Get(() => Announcements("dcl"),
            a => a.Count(n => n.Str("kind") == "swap_declined" && n.Str("status") == "sent") == 2, "the decline to reach dcl-a and the channel");
        Assert.Equal("dcl-a", Assert.Single(told, n => n.Str("kind") == "swap_declined" && n["user_id"] is not null).Str("user_id"));
        var toChannel = Assert.Single(told, n => n.Str("kind") == "swap_declined" && n["slack_channel"] is not null);
        Assert.Equal(channel, toChannel.Str("slack_channel"));
        Assert.Contains("dcl-b declined to cover dcl-a", toChannel.Str("text"));
        Assert.DoesNotContain(told, n => n.Str("kind") == "swap_accepted");
    }

    [Fact]
    public async Task Without_an_announce_channel_a_decision_is_told_to_the_requester_only()
    {
        await Users("nch-a", "nch-b");
        var d = Day(3);
        await PutRotation("nch", "UTC", "daily", 1, Iso(d), ["nch-a", "nch-b"]).Ok();
        var swapId = (await _admin.PostJson("/api/v1/rotations/nch/swap-requests",
            new { requester_id = "nch-a", covering_user_id = "nch-b", start = Iso(d), end = Iso(d.AddHours(4)), reason = (string?)null }).Ok()).Str("id");
        await _admin.PostJson($"/api/v1/rotations/nch/swap-requests/{swapId}/accept", new { user_id = "nch-b" }).Ok();

        var sent = await Eventually.Get(() => Announcements("nch"),
            a => a.Count(n => n.Str("kind") is "swap_requested" or "swap_accepted") == 2 && a.All(n => n.Str("status") == "sent"),
            "the request and the acceptance");
        Assert.Equal("nch-a", Assert.Single(sent, n => n.Str("kind") == "swap_accepted").Str("user_id"));
        Assert.DoesNotContain(sent, n => n["slack_channel"] is not null);
        await _admin.GetAsync("/api/v1/rotations/no-such-rotation/announcements").Problem(404);
    }

    private async Task Users(params string[] ids)
    {
        foreach (var id in ids)
            await _admin.PutJson($"/api/v1/users/{id}", new { name = id, email = $"{id}@example.com", time_zone = "Asia/Tokyo" }).Ok();
    }

    private Task<HttpResponseMessage> PutRotation(
        string id, string zone, string type, int length, string start, string[] participants, string? channel = null) =>
        _admin.PutJson($"/api/v1/rotations/{id}", new
        {
            name = $"Rotation {id}",
            time_zone = zone,
            type,
            shift_length = length,
            start,
            participants,
            announce_channel = channel,
        });

    private Task<HttpResponseMessage> Override(string rotation, object body) => _admin.PostJson($"/api/v1/rotations/{rotation}/overrides", body);

    private Task<JsonNode> OnCall(string rotation, string at) => _admin.GetAsync($"/api/v1/rotations/{rotation}/oncall?at={Q(at)}").Ok();

    private async Task<List<JsonNode>> Announcements(string rotation) =>
        (await _admin.GetAsync($"/api/v1/rotations/{rotation}/announcements").Ok()).AsArray().Select(a => a!).ToList();

    private static object Policy(object target) => new
    {
        name = "Rotation policy",
        levels = new[] { new { escalate_after = "PT5M", targets = new[] { target } } },
    };

    private static void AssertOnCall(JsonNode view, string user, long index, string shiftStart, string shiftEnd)
    {
        Assert.Equal(user, view.Str("user_id"));
        Assert.Equal(index, view["index"]!.GetValue<long>());
        Assert.Equal(shiftStart, view.Str("shift_start"));
        Assert.Equal(shiftEnd, view.Str("shift_end"));
    }

    /// <summary>Midnight UTC this many days from today: a future day, so that swaps and overrides are not in the past.</summary>
    private static DateTimeOffset Day(int days) => new(DateTime.UtcNow.Date.AddDays(days), TimeSpan.Zero);

    private static string Iso(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH':'mm':'sszzz", CultureInfo.InvariantCulture);

    private static string Hour(DateTimeOffset at) => at.ToUniversalTime().ToString("MM-dd'T'HH'Z'", CultureInfo.InvariantCulture);

    private static string Q(string at) => Uri.EscapeDataString(at);

    private static DateTimeOffset Time(JsonNode node, string name) => DateTimeOffset.Parse(node.Str(name), CultureInfo.InvariantCulture);

    private static List<string> Ids(JsonNode? array) => array!.AsArray().Select(n => n!.GetValue<string>()).ToList();

    private static List<string> Ids(IEnumerable<JsonNode?> nodes) => nodes.Select(n => n!.GetValue<string>()).ToList();

    private static List<string> Fields(JsonNode problem) => problem["errors"]!.AsObject().Select(e => e.Key).ToList();
}
