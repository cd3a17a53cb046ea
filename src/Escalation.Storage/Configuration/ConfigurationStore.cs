using System.Text.Json;
using Escalation.Configuration;
using Escalation.Json;
using Escalation.Rotations;
using Npgsql;
using NpgsqlTypes;

namespace Escalation.Storage.Configuration;

/// <summary>
/// Users, teams, escalation policies, services and rotations, one JSON document a row. Configuration changes rarely and is
/// read on every trigger, so it lives in plain tables rather than in grains, and the lookups a trigger makes are
/// cached for a few seconds (writes through this store clear the cache at once).
/// </summary>
public sealed class ConfigurationStore(NpgsqlDataSource db, TimeProvider clock) : IEscalationDirectory
{
    public static readonly TimeSpan CacheTimeToLive = TimeSpan.FromSeconds(5);
    private readonly ExpiringCache _cache = new(clock, CacheTimeToLive);

    public static class Tables
    {
        public const string Users = "users";
        public const string Teams = "teams";
        public const string Policies = "escalation_policies";
        public const string Services = "services";
        public const string Rotations = "rotations";
        public const string Monitors = "monitors";
    }

    /// <summary>Writes the document; true when it was created, false when it replaced one.</summary>
    public async Task<bool> Put<T>(string table, string id, T document)
    {
        await using var cmd = db.CreateCommand($"""
            INSERT INTO {table} (id, doc) VALUES ($1, $2)
            ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc, updated_at = now()
            RETURNING (xmax = 0)
            """);
        cmd.Parameters.AddWithValue(id);
        cmd.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(document, EscalationJson.Options), NpgsqlDbType = NpgsqlDbType.Jsonb });
        var created = (bool)(await cmd.ExecuteScalarAsync())!;
        _cache.Clear();
        return created;
    }

    public async Task<T?> Get<T>(string table, string id) where T : class
    {
        await using var cmd = db.CreateCommand($"SELECT doc FROM {Documents(table)} WHERE id = $1");
        cmd.Parameters.AddWithValue(id);
        return await cmd.ExecuteScalarAsync() is string json ? Deserialize<T>(json) : null;
    }

    public async Task<IReadOnlyList<T>> List<T>(string table)
    {
        await using var cmd = db.CreateCommand($"SELECT doc FROM {Documents(table)} ORDER BY id");
        await using var reader = await cmd.ExecuteReaderAsync();
        var items = new List<T>();
        while (await reader.ReadAsync()) items.Add(Deserialize<T>(reader.GetString(0)));
        return items;
    }

    public async Task<bool> Delete(string table, string id)
    {
        await using var cmd = db.CreateCommand($"DELETE FROM {table} WHERE id = $1");
        cmd.Parameters.AddWithValue(id);
        var deleted = await cmd.ExecuteNonQueryAsync() > 0;
        _cache.Clear();
        return deleted;
    }

    /// <summary>Those of <paramref name="ids"/> that have no row in the table.</summary>
    public async Task<IReadOnlyList<string>> Missing(string table, IEnumerable<string> ids)
    {
        await using var cmd = db.CreateCommand($"SELECT x FROM unnest($1::text[]) AS x WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.id = x)");
        cmd.Parameters.AddWithValue(ids.Distinct().ToArray());
        await using var reader = await cmd.ExecuteReaderAsync();
        var missing = new List<string>();
        while (await reader.ReadAsync()) missing.Add(reader.GetString(0));
        return missing;
    }

    /// <summary>Names what still refers to the given user, team, policy or rotation, so that deleting it can be refused.</summary>
    public async Task<IReadOnlyList<string>> ReferencesTo(string table, string id)
    {
        var sql = table switch
        {
            Tables.Users => """
                SELECT 'team ' || id FROM teams WHERE doc->'members' ? $1
                UNION ALL SELECT 'rotation ' || id FROM rotations WHERE doc->'participants' ? $1
                """ + " UNION ALL " + PoliciesTargeting("user"),
            Tables.Teams => PoliciesTargeting("team"),
            Tables.Rotations => PoliciesTargeting("rotation"),
            Tables.Policies => "SELECT 'service ' || id FROM services WHERE doc->>'escalation_policy_id' = $1",
            Tables.Services => "SELECT 'monitor ' || id FROM monitors WHERE doc->>'service_id' = $1",
            _ => null,
        };
        if (sql is null) return [];
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.AddWithValue(id);
        await using var reader = await cmd.ExecuteReaderAsync();
        var found = new List<string>();
        while (await reader.ReadAsync()) found.Add(reader.GetString(0));
        return found;
    }

    public Task<Service?> FindServiceByIntegrationKey(string integrationKey) =>
        _cache.GetOrLoad($"key:{integrationKey}", async () =>
        {
            await using var cmd = db.CreateCommand("SELECT doc FROM services WHERE integration_key = $1");
            cmd.Parameters.AddWithValue(integrationKey);
            return await cmd.ExecuteScalarAsync() is string json ? Deserialize<Service>(json) : null;
        });

    public async Task<string?> ServiceUsingIntegrationKey(string integrationKey)
    {
        await using var cmd = db.CreateCommand("SELECT id FROM services WHERE integration_key = $1");
        cmd.Parameters.AddWithValue(integrationKey);
        return await cmd.ExecuteScalarAsync() as string;
    }

    public Task<Service?> FindService(string id) => Cached<Service>(Tables.Services, id);

    public Task<EscalationPolicy?> FindPolicy(string id) => Cached<EscalationPolicy>(Tables.Policies, id);

    public Task<Team?> FindTeam(string id) => Cached<Team>(Tables.Teams, id);

    public Task<User?> FindUser(string id) => Cached<User>(Tables.Users, id);

    /// <summary>The user a Slack button press or an SMS reply comes from.</summary>
    private Task<User?> FindUserByAddress(string field, string address) =>
        _cache.GetOrLoad($"users.{field}:{address}", async () =>
        {
            await using var cmd = db.CreateCommand($"SELECT doc FROM {Documents(Tables.Users)} WHERE doc->>$1 = $2 ORDER BY id LIMIT 1");
            cmd.Parameters.AddWithValue(field);
            cmd.Parameters.AddWithValue(address);
            return await cmd.ExecuteScalarAsync() is string json ? Deserialize<User>(json) : null;
        });

    public Task<User?> FindUserBySlackId(string slackUserId) => FindUserByAddress("slack_user_id", slackUserId);

    public Task<User?> FindUserByPhone(string phone) => FindUserByAddress("phone", phone);

    public Task<Rotation?> LoadRotation(string id) => Get<Rotation>(Tables.Rotations, id);

    public Task<Escalation.Monitors.ServiceMonitor?> LoadMonitor(string id) => Get<Escalation.Monitors.ServiceMonitor>(Tables.Monitors, id);

    private static string PoliciesTargeting(string type) => $"""
        SELECT 'escalation policy ' || id FROM escalation_policies
            WHERE doc @> jsonb_build_object('levels', jsonb_build_array(jsonb_build_object('targets',
                jsonb_build_array(jsonb_build_object('type', '{type}', 'id', $1::text)))))
        """;

    /// <summary>
    /// Where a table's documents are read from. A user's comes with <c>sms_stopped_at</c> when their phone replied
    /// STOP: that belongs to the number, and an admin's PUT of the user must not turn SMS back on.
    /// </summary>
    private static string Documents(string table) => table == Tables.Users
        ? """
          (SELECT u.id, CASE WHEN o.phone IS NULL THEN u.doc ELSE u.doc || jsonb_build_object('sms_stopped_at', o.opted_out_at) END AS doc
           FROM users u LEFT JOIN sms_opt_outs o ON o.phone = u.doc->>'phone') AS users
          """
        : table;

    /// <summary>Forgets what this silo has cached, after a change made outside this store (a STOP by SMS).</summary>
    public void ForgetCached() => _cache.Clear();

    private Task<T?> Cached<T>(string table, string id) where T : class =>
        _cache.GetOrLoad($"{table}:{id}", () => Get<T>(table, id));

    private static T Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, EscalationJson.Options)!;
}
