using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SsoOperator.Testing;

/// <summary>A child process whose output goes to a log file, stopped (with its tree) on dispose.</summary>
public sealed class LocalProcess : IDisposable
{
    private readonly Process process;

    private LocalProcess(Process process, string logPath)
    {
        this.process = process;
        LogPath = logPath;
    }

    public string LogPath { get; }

    public bool HasExited => process.HasExited;

    public int Id => process.Id;

    // A test host that is killed (or crashes) never runs its exit handlers; this small shell parent ends the
    // child once the test process is gone, so no server outlives the run that started it. The watchdog itself
    // may be killed with the test host's whole tree (test runners do that): setpriv's parent-death signal
    // (util-linux, Essential in Debian) then ends the server with it.
    private const string Watchdog =
        "parent=$1; shift; setpriv --pdeathsig KILL -- \"$@\" & child=$!; trap 'kill $child 2>/dev/null; wait $child; exit 0' TERM INT; " +
        "while kill -0 \"$parent\" 2>/dev/null && kill -0 \"$child\" 2>/dev/null; do sleep 1 & wait $!; done; " +
        "kill $child 2>/dev/null; wait $child";

    public static LocalProcess Start(string fileName, IEnumerable<string> arguments, string logPath,
        IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Watchdog);
        info.ArgumentList.Add("watchdog");
        info.ArgumentList.Add(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add(fileName);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        var log = new StreamWriter(logPath, append: true, Encoding.UTF8) { AutoFlush = true };
        var gate = new object();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (gate) { log.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (gate) { log.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.Exited += (_, _) => { lock (gate) { log.Flush(); } };
        return new LocalProcess(process, logPath);
    }

    /// <summary>The last lines of the log, for failure messages.</summary>
    public string Tail(int lines = 30)
    {
        try
        {
            var all = File.ReadAllLines(LogPath);
            return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
        }
        catch (IOException)
        {
            return "(log unavailable)";
        }
    }

    public void Kill()
    {
        if (process.HasExited)
        {
            return;
        }
        // TERM first: the watchdog's trap stops its child and exits. Note: Kill(entireProcessTree) alone was
        // seen to leave a watchdog stopped (it sends SIGSTOP while it walks the tree) and its server running.
        using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            term.WaitForExit(5_000);
        }
        if (!process.WaitForExit(10_000))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Note: the process may already be gone; there is nothing left to stop.
        }
        process.Dispose();
    }

    /// <summary>
    /// Runs <paramref name="script"/> (sh) once the current process has exited, however it exits: the
    /// cleanup for servers that daemonize themselves (pg_ctl) and so escape the watchdog above.
    /// </summary>
    public static void RunAfterExit(string script)
    {
        // setsid: the cleanup must not share the test host's process group, which runners kill as a whole.
        var info = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add("/bin/sh");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec </dev/null >/dev/null 2>&1; " +
            $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; {script}");
        using var process = Process.Start(info);
    }

    /// <summary>A TCP port on 127.0.0.1 that nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
