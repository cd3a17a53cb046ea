using System.Text.Json;
using Escalation.Incidents;
using Escalation.Json;
using Escalation.Routing;
using Npgsql;

namespace Escalation.Storage.Incidents;

/// <summary>The multi-row statements of one batch of incident writes: arrays in, one row per write.</summary>
internal static class IncidentRows
{
    private const string Columns = """
        id, service_id, dedup_key, title, severity, status, created_at, updated_at, alert_count, level, loop,
        next_escalation_at, version, priority, route, state, next_deadline_at, ring_hash
        """;

    private const string Unnest = """
        unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[],
               $9::integer[], $10::integer[], $11::integer[], $12::timestamptz[], $13::bigint[], $14::text[], $15::text[],
               $16::text[], $17::timestamptz[], $18::bigint[], $19::bigint[])
          AS r(id, service_id, dedup_key, title, severity, status, created_at, updated_at, alert_count, level, loop,
               next_escalation_at, version, priority, route, state, next_deadline_at, ring_hash, expected)
        """;

    /// <summary>New incidents; one whose dedup key has an open incident already (or written twice) is left out.</summary>
    public static NpgsqlBatchCommand Insert(IReadOnlyList<IncidentWrite> writes) => WithRows($"""
        INSERT INTO incidents ({Columns})
        SELECT id, service_id, dedup_key, title, severity, status, created_at, updated_at, alert_count, level, loop,
               next_escalation_at, version, priority, route, state::jsonb, next_deadline_at, ring_hash
        FROM {Unnest}
        ON CONFLICT DO NOTHING
        RETURNING id
        """, writes);

    /// <summary>Changed incidents, each only from the version its grain read.</summary>
    public static NpgsqlBatchCommand Update(IReadOnlyList<IncidentWrite> writes) => WithRows($"""
        UPDATE incidents i SET title = r.title, severity = r.severity, status = r.status, updated_at = r.updated_at,
            alert_count = r.alert_count, level = r.level, loop = r.loop, next_escalation_at = r.next_escalation_at,
            version = r.version, priority = r.priority, route = r.route, state = r.state::jsonb,
            next_deadline_at = r.next_deadline_at
        FROM {Unnest}
        WHERE i.id = r.id AND i.version = r.expected
        RETURNING i.id
        """, writes);

    /// <summary>
    /// What the writes move out of their states. Written even for a write that turns out stale: an entry is kept by
    /// its number (a notification by its id), so writing it again, or from a later trim, neither doubles nor loses it.
    /// </summary>
    public static NpgsqlBatchCommand? Archive(IReadOnlyList<IncidentWrite> writes)
    {
        var rows = writes.Where(w => w.Archive is { IsEmpty: false }).SelectMany(w =>
        {
            var trim = w.Archive!;
            return trim.Timeline.Select((e, i) => (Incident: w.State.Id, Kind: "timeline", Item: (trim.FirstTimelineSeq + i).ToString(), Seq: trim.FirstTimelineSeq + i, Body: JsonSerializer.Serialize(e, EscalationJson.Options)))
                .Concat(trim.Notifications.Select((n, i) => (Incident: w.State.Id, Kind: "notification", Item: n.Id, Seq: trim.FirstNotificationSeq + i, Body: JsonSerializer.Serialize(n, EscalationJson.Options))));
        }).ToList();
        if (rows.Count == 0) return null;
        var command = new NpgsqlBatchCommand("""
            INSERT INTO incident_archive (incident_id, kind, item, seq, body)
            SELECT incident_id, kind, item, seq, body::jsonb FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[], $5::text[]) AS r(incident_id, kind, item, seq, body)
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Incident).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Kind).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Item).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Seq).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Body).ToArray() });
        return command;
    }

    private static NpgsqlBatchCommand WithRows(string sql, IReadOnlyList<IncidentWrite> writes)
    {
        var command = new NpgsqlBatchCommand(sql);
        void Add<T>(Func<IncidentWrite, T> column) => command.Parameters.Add(new NpgsqlParameter { Value = writes.Select(column).ToArray() });
        static DateTime Utc(DateTimeOffset at) => at.UtcDateTime;
        static DateTime? UtcOrNull(DateTimeOffset? at) => at?.UtcDateTime;
        Add(w => w.State.Id);
        Add(w => w.State.ServiceId);
        Add(w => w.State.DedupKey);
        Add(w => w.State.Title);
        Add(w => w.State.Severity.ToString().ToLowerInvariant());
        Add(w => w.State.Status.ToString().ToLowerInvariant());
        Add(w => Utc(w.State.CreatedAt));
        Add(w => Utc(w.UpdatedAt));
        Add(w => w.State.AlertCount);
        Add(w => w.State.Position.Level + 1);
        Add(w => w.State.Position.Loop);
        Add(w => UtcOrNull(w.State.EscalationDeadline));
        Add(w => w.State.Version);
        Add(w => w.State.Priority.ToString());
        Add(w => RouteNames.Of(w.State.SuppressedBy is null ? w.State.Route.Action : RouteAction.RecordOnly));
        Add(w => JsonSerializer.Serialize(w.State, EscalationJson.Options));
        Add(w => UtcOrNull(w.NextDeadline));
        Add(w => (long)w.Grain.GetUniformHashCode());
        Add(w => w.ExpectedVersion);
        return command;
    }
}
