using System.Threading.Channels;

namespace Escalation.Storage.Writes;

/// <summary>
/// Group commit: callers hand in an item and wait; one loop takes whatever is waiting (up to a batch) and commits it
/// all in one transaction through <c>commit</c>, which answers each item in order. Every caller in a batch learns its
/// own answer only after the commit, so an answer means durable; a batch that fails fails every caller in it, and
/// since it was one transaction, nothing of it was written.
/// </summary>
public sealed class GroupCommit<TItem, TResult> : IAsyncDisposable
{
    private readonly Channel<Pending> _waiting = Channel.CreateUnbounded<Pending>(new() { SingleReader = false });
    private readonly Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> _commit;
    private readonly int _maxBatch;
    private readonly Task[] _loops;
    private readonly CancellationTokenSource _stopping = new();
    private long _batches;
    private long _items;
    private int _disposed;

    /// <param name="loops">How many batches may be committing at once (each on its own connection).</param>
    public GroupCommit(Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> commit, int maxBatch = 256, int loops = 2)
    {
        _commit = commit;
        _maxBatch = maxBatch;
        _loops = Enumerable.Range(0, loops).Select(_ => Task.Run(Loop)).ToArray();
    }

    /// <summary>Batches committed so far and the items in them: their ratio is the mean batch size.</summary>
    public (long Batches, long Items) Counts => (Interlocked.Read(ref _batches), Interlocked.Read(ref _items));

    public Task<TResult> Submit(TItem item)
    {
        var pending = new Pending(item, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_waiting.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(GroupCommit<TItem, TResult>));
        return pending.Done.Task;
    }

    private async Task Loop()
    {
        var batch = new List<Pending>(_maxBatch);
        try
        {
            while (await _waiting.Reader.WaitToReadAsync(_stopping.Token))
            {
                batch.Clear();
                while (batch.Count < _maxBatch && _waiting.Reader.TryRead(out var next)) batch.Add(next);
                if (batch.Count > 0) await CommitBatch(batch);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        while (_waiting.Reader.TryRead(out var left)) left.Done.TrySetCanceled();
    }

    private async Task CommitBatch(List<Pending> batch)
    {
        try
        {
            var results = await _commit(batch.Select(p => p.Item).ToList(), _stopping.Token);
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _items, batch.Count);
            for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(results[i]);
        }
        catch (Exception e)
        {
            foreach (var pending in batch) pending.Done.TrySetException(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Idempotent: a container that hands one instance out under two services disposes it twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _waiting.Writer.TryComplete();
        await Task.WhenAll(_loops);
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private sealed record Pending(TItem Item, TaskCompletionSource<TResult> Done);
}
