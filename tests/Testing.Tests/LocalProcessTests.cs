using System.Diagnostics;

namespace SsoOperator.Testing.Tests;

public sealed class LocalProcessTests
{
    [Fact]
    public async Task Dispose_RunningServer_StopsTheServerNotOnlyItsWatchdog()
    {
        var log = Path.GetTempFileName();
        var process = LocalProcess.Start("sleep", ["300"], log);
        var watchdog = process.Id;
        var server = await ChildOfAsync(watchdog);

        var stopwatch = Stopwatch.StartNew();
        process.Dispose();
        stopwatch.Stop();

        Assert.False(IsRunning(watchdog), $"the watchdog (pid {watchdog}) is still running");
        Assert.False(IsRunning(server), $"the server (pid {server}) outlived its watchdog");
        // The trap runs at once, not after the watchdog's one-second poll; the bound only guards against a hang.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {stopwatch.Elapsed}");
        File.Delete(log);
    }

    [Fact]
    public async Task WatchdogKilled_AsARunnerKillsATree_TheServerDiesWithIt()
    {
        var log = Path.GetTempFileName();
        using var process = LocalProcess.Start("sleep", ["300"], log);
        var watchdog = process.Id;
        var server = await ChildOfAsync(watchdog);

        // SIGKILL runs no trap: only the parent-death signal can stop the server now.
        Process.GetProcessById(watchdog).Kill();
        var stopped = false;
        for (var attempt = 0; attempt < 50 && !stopped; attempt++)
        {
            await Task.Delay(100);
            stopped = !IsRunning(server);
        }

        Assert.True(stopped, $"the server (pid {server}) outlived its killed watchdog");
        File.Delete(log);
    }

    // The watchdog shell's one child is the server it started.
    private static async Task<int> ChildOfAsync(int watchdog)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var children = await File.ReadAllTextAsync($"/proc/{watchdog}/task/{watchdog}/children");
            var first = children.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)
                .FirstOrDefault(pid => File.ReadAllText($"/proc/{pid}/comm").Trim() == "sleep" && IsRunning(pid));
            if (first != 0)
            {
                return first;
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException("the watchdog started no server");
    }

    // A zombie (state Z) is not running: it has exited and only waits to be reaped.
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
