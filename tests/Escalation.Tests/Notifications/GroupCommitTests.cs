using Escalation.Storage.Writes;
using Escalation.Silo.Notifications;

namespace Escalation.Tests.Notifications;

/// <summary>The group commit the ledger batches its claims and settles with.</summary>
public sealed class GroupCommitTests
{
    /// <summary>A commit that holds its first batch until <see cref="Release"/>, so that the submits after it wait together.</summary>
    private sealed class HeldCommit
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _firstStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public List<IReadOnlyList<int>> Batches { get; } = [];
        public Func<IReadOnlyList<int>, bool> Fails { get; init; } = _ => false;

        public Task FirstStarted => _firstStarted.Task;

        public void Release() => _release.SetResult();

        public async Task<IReadOnlyList<string>> Commit(IReadOnlyList<int> batch)
        {
            lock (Batches) Batches.Add(batch);
            _firstStarted.TrySetResult();
            await _release.Task;
            if (Fails(batch)) throw new InvalidOperationException("the batch failed");
            return batch.Select(i => $"done {i}").ToList();
        }
    }

    [Fact]
    public async Task Submits_that_wait_while_a_batch_commits_share_the_next_batch_and_each_gets_its_own_result()
    {
        var commit = new HeldCommit();
        var batcher = new GroupCommit<int, string>(commit.Commit);

        var first = batcher.Submit(0);
        await commit.FirstStarted;
        var waiting = Enumerable.Range(1, 10).Select(batcher.Submit).ToList();
        commit.Release();

        Assert.Equal("done 0", await first);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"done {i}"), await Task.WhenAll(waiting));
        Assert.Equal([[0], Enumerable.Range(1, 10).ToList()], commit.Batches);
        Assert.Equal((2, 11, 5.5), (batcher.Batches, batcher.Items, batcher.MeanBatchSize));
    }

    [Fact]
    public async Task A_batch_takes_at_most_its_maximum_and_the_rest_go_in_the_next()
    {
        var commit = new HeldCommit();
        var batcher = new GroupCommit<int, string>(commit.Commit, maxBatch: 4);

        var first = batcher.Submit(0);
        await commit.FirstStarted;
        var waiting = Enumerable.Range(1, 6).Select(batcher.Submit).ToList();
        commit.Release();
        await Task.WhenAll(waiting.Append(first));

        Assert.Equal([1, 4, 2], commit.Batches.Select(b => b.Count));
    }

    [Fact]
    public async Task A_failing_batch_fails_every_caller_in_it_and_the_next_batch_still_commits()
    {
        var commit = new HeldCommit { Fails = batch => batch.Contains(13) };
        var batcher = new GroupCommit<int, string>(commit.Commit);

        var first = batcher.Submit(0);
        await commit.FirstStarted;
        var doomed = new[] { 11, 12, 13 }.Select(batcher.Submit).ToList();
        commit.Release();
        await first;

        foreach (var caller in doomed)
            Assert.Equal("the batch failed", (await Assert.ThrowsAsync<InvalidOperationException>(() => caller)).Message);
        Assert.Equal("done 14", await batcher.Submit(14)); // a caller submitting again is not held by the failed batch
    }

    [Fact]
    public async Task Submits_one_after_the_other_each_complete_in_a_batch_of_their_own()
    {
        var batcher = new GroupCommit<int, int>(batch => Task.FromResult<IReadOnlyList<int>>(batch.Select(i => i + 1).ToList()));
        for (var i = 0; i < 5; i++) Assert.Equal(i + 1, await batcher.Submit(i));
        Assert.Equal((5, 5), (batcher.Batches, batcher.Items));
    }

    [Fact]
    public async Task A_commit_that_answers_for_fewer_items_than_it_was_given_fails_them_all()
    {
        var batcher = new GroupCommit<int, int>(_ => Task.FromResult<IReadOnlyList<int>>([]));
        await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.Submit(1));
    }
}
