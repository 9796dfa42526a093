using SsoOperator.Operator.Runtime;

namespace SsoOperator.Operator.Tests.Runtime;

public sealed class WorkQueueTests : IDisposable
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(5);
    private readonly WorkQueue<string> queue =
        new(new Backoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200)));

    [Fact]
    public async Task Add_SameKeyTwice_IsTakenOnce()
    {
        queue.Add("a");
        queue.Add("a");
        queue.Add("b");

        Assert.Equal(2, queue.Depth);
        Assert.Equal("a", await queue.TakeAsync(CancellationToken.None));
        Assert.Equal("b", await queue.TakeAsync(CancellationToken.None));
        Assert.Equal(0, queue.Depth);
    }

    [Fact]
    public async Task Add_WhileProcessing_WaitsForDoneThenComesBackOnce()
    {
        queue.Add("a");
        var key = await queue.TakeAsync(CancellationToken.None);

        queue.Add("a");
        queue.Add("a");
        Assert.Equal(0, queue.Depth);

        queue.Done(key);
        Assert.Equal(1, queue.Depth);
        Assert.Equal("a", await queue.TakeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AddWithBackoff_RepeatedFailures_GrowsDelayUntilCap()
    {
        var delays = Enumerable.Range(0, 4).Select(_ => queue.AddWithBackoff("a")).ToList();

        Assert.Equal([50, 100, 200, 200], delays.Select(d => (int)d.TotalMilliseconds));
        Assert.Equal(4, queue.Failures("a"));
        Assert.Equal("a", await queue.TakeAsync(CancellationToken.None).WaitAsync(Short));
    }

    [Fact]
    public void Forget_AfterFailures_RestartsBackoff()
    {
        queue.AddWithBackoff("a");
        queue.AddWithBackoff("a");

        queue.Forget("a");

        Assert.Equal(0, queue.Failures("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(50), queue.AddWithBackoff("a"));
    }

    [Fact]
    public async Task AddAfter_Delay_KeyArrivesOnlyAfterIt()
    {
        var started = DateTime.UtcNow;
        queue.AddAfter("a", TimeSpan.FromMilliseconds(300));

        Assert.Equal(0, queue.Depth);
        Assert.Equal("a", await queue.TakeAsync(CancellationToken.None).WaitAsync(Short));
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public async Task TakeAsync_ManyWorkers_NeverHandsOneKeyToTwo()
    {
        var busy = new HashSet<string>();
        var overlaps = 0;
        var handled = 0;
        using var stop = new CancellationTokenSource();
        async Task Worker()
        {
            while (Volatile.Read(ref handled) < 200)
            {
                var key = await queue.TakeAsync(stop.Token);
                lock (busy)
                {
                    overlaps += busy.Add(key) ? 0 : 1;
                }
                await Task.Yield();
                lock (busy)
                {
                    busy.Remove(key);
                }
                Interlocked.Increment(ref handled);
                queue.Done(key);
                queue.Add(key);
            }
        }

        foreach (var key in new[] { "a", "b", "c" })
        {
            queue.Add(key);
        }
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(Worker)).ToList();
        await Task.WhenAny(Task.WhenAll(workers), Task.Delay(Short));
        await stop.CancelAsync();

        Assert.True(handled >= 200, $"handled {handled}");
        Assert.Equal(0, overlaps);
    }

    public void Dispose() => queue.Dispose();
}
