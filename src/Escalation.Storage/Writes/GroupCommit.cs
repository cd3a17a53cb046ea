namespace Escalation.Storage.Writes;

/// <summary>
/// Group commit: callers submit one item each and await its result; one batch at a time is committed, holding every
/// item that arrived while the one before it was committing (up to <see cref="MaxBatch"/>). Under light load a batch
/// is one item and goes at once (nothing waits for company); under load the items share a transaction. The commit
/// is all or nothing: when it throws, every caller of the batch gets the exception and none of its items is written,
/// so each caller may simply submit again (the ledger's callers do, while the database is away).
/// </summary>
public sealed class GroupCommit<TItem, TResult>(Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> commit, int maxBatch = 256)
{
    public int MaxBatch { get; } = maxBatch > 0 ? maxBatch : throw new ArgumentOutOfRangeException(nameof(maxBatch));

    private readonly object _gate = new();
    private readonly Queue<(TItem Item, TaskCompletionSource<TResult> Done)> _waiting = new();
    private bool _committing;
    private long _batches, _items;

    /// <summary>Batches committed or failed so far.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Items in those batches.</summary>
    public long Items => Interlocked.Read(ref _items);

    /// <summary>Items per batch on average: how much the grouping saved.</summary>
    public double MeanBatchSize => Batches == 0 ? 0 : (double)Items / Batches;

    public Task<TResult> Submit(TItem item)
    {
        var done = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiting.Enqueue((item, done));
            if (_committing) return done.Task; // the running loop takes it with its next batch
            _committing = true;
        }
        // The loop commits for every caller, so it runs in none's context (its trace, its logging scope, a grain's).
        using (ExecutionContext.SuppressFlow()) _ = Task.Run(CommitWhileWaiting);
        return done.Task;
    }

    /// <summary>The one loop of this batcher: it runs while items wait, and ends when none is left.</summary>
    private async Task CommitWhileWaiting()
    {
        while (true)
        {
            List<(TItem Item, TaskCompletionSource<TResult> Done)> batch;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _committing = false;
                    return;
                }
                batch = new List<(TItem, TaskCompletionSource<TResult>)>(Math.Min(_waiting.Count, MaxBatch));
                while (batch.Count < MaxBatch && _waiting.TryDequeue(out var next)) batch.Add(next);
            }
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _items, batch.Count);
            try
            {
                var results = await commit(batch.ConvertAll(b => b.Item));
                if (results.Count != batch.Count)
                    throw new InvalidOperationException($"A batch of {batch.Count} items was committed with {results.Count} results.");
                for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(results[i]);
            }
            catch (Exception e)
            {
                foreach (var (_, done) in batch) done.TrySetException(e);
            }
        }
    }
}

/// <summary>What a <see cref="GroupCommit{TItem,TResult}"/> did so far.</summary>
public sealed record BatchCounts(long Batches, long Items)
{
    public double MeanBatchSize => Batches == 0 ? 0 : (double)Items / Batches;

    public static BatchCounts Of<TItem, TResult>(GroupCommit<TItem, TResult> batcher) => new(batcher.Batches, batcher.Items);
}
