using BenchmarkDotNet.Running;

namespace SsoOperator.Bench;

internal static class Program
{
    /// <summary>Runs every benchmark unless arguments (e.g. <c>--filter '*Secret*'</c>) say otherwise.</summary>
    public static void Main(string[] args)
    {
        // Without a filter BenchmarkSwitcher asks on the console which benchmark to run; `make bench` must not ask.
        var arguments = args.Any(a => a.StartsWith("--filter", StringComparison.Ordinal) || a == "-f")
            ? args
            : [.. args, "--filter", "*"];
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(arguments, BenchConfig.Create());
    }
}
