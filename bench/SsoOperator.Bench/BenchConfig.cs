using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace SsoOperator.Bench;

/// <summary>One short job, in process, with the Ratio column against each class's baseline.</summary>
internal static class BenchConfig
{
    public static IConfig Create() => DefaultConfig.Instance
        // In process: BenchmarkDotNet's generated child project would inherit the repo's central package
        // management and warnings-as-errors; in process it also skips a rebuild on the 2-core machine.
        .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
        .AddColumn(BaselineRatioColumn.RatioMean)
        .WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend));
}
