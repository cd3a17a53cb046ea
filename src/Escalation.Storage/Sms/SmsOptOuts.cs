using Escalation.Storage.Database;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Escalation.Storage.Sms;

/// <summary>Numbers that replied STOP. Carriers and Twilio stop delivering to them; we stop trying, and fall back.</summary>
public sealed class SmsOptOuts([FromKeyedServices(DeliveryDatabase.Key)] NpgsqlDataSource db)
{
    public async Task Stop(string phone, DateTimeOffset at)
    {
        await using var cmd = db.CreateCommand("INSERT INTO sms_opt_outs (phone, opted_out_at) VALUES ($1, $2) ON CONFLICT (phone) DO NOTHING");
        cmd.Parameters.AddWithValue(phone);
        cmd.Parameters.AddWithValue(at);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task Start(string phone)
    {
        await using var cmd = db.CreateCommand("DELETE FROM sms_opt_outs WHERE phone = $1");
        cmd.Parameters.AddWithValue(phone);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<bool> IsOptedOut(string phone)
    {
        await using var cmd = db.CreateCommand("SELECT 1 FROM sms_opt_outs WHERE phone = $1");
        cmd.Parameters.AddWithValue(phone);
        return await cmd.ExecuteScalarAsync() is not null;
    }
}
