namespace Escalation.Deadlines;

/// <summary>
/// A grain state that carries its grain's next deadline: the grain-state store writes it into the row's
/// <c>next_deadline_at</c> in the same statement as the state, for the deadline service.
/// </summary>
public interface IHasNextDeadline
{
    DateTimeOffset? NextDeadline { get; set; }
}

/// <summary>The one way a grain with such a state keeps its deadline: written with the state, answered from the row.</summary>
public static class StoredDeadline
{
    public static Task WriteWith<T>(this IPersistentState<T> store, DateTimeOffset? next) where T : IHasNextDeadline
    {
        store.State.NextDeadline = next;
        return store.WriteStateAsync();
    }

    /// <summary>The answer to the deadline service; the state is written first if its row holds another deadline.</summary>
    public static async Task<NextDeadline> Answer<T>(this IPersistentState<T> store, DateTimeOffset? next) where T : IHasNextDeadline
    {
        if (!store.RecordExists) return new NextDeadline(null, 0);
        if (store.State.NextDeadline != next) await store.WriteWith(next);
        return new NextDeadline(store.State.NextDeadline, long.Parse(store.Etag ?? "0"));
    }
}
