namespace Escalation.Api.Integrations;

/// <summary>The registered <see cref="IAlertSource"/>s, found by their integration type.</summary>
public sealed class AlertSources(IEnumerable<IAlertSource> sources)
{
    private readonly Dictionary<string, IAlertSource> _byType = sources.ToDictionary(s => s.Type, StringComparer.Ordinal);

    public IReadOnlyList<string> Types => _byType.Keys.Order(StringComparer.Ordinal).ToList();

    public IAlertSource? Find(string type) => _byType.GetValueOrDefault(type);
}
