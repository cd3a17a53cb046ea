namespace Escalation.Silo.Storage;

/// <summary>
/// Keeps <c>DeliveryDatabase.Key</c> reachable from <c>Notifications/DeliveryLedger.cs</c>, which is being changed on
/// another branch and still imports this namespace. Delete this file once its using names
/// <c>Escalation.Storage.Database</c>, where <see cref="global::Escalation.Storage.Database.DeliveryDatabase"/> now lives.
/// </summary>
public static class DeliveryDatabase
{
    public const string Key = global::Escalation.Storage.Database.DeliveryDatabase.Key;
}
