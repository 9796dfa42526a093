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
        // In process: no child project generated and built per benchmark (minutes on the 2-core machine,
        // and under the repo's Directory.Build.props); both sides of a ratio share the same process anyway.
        .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
        .AddColumn(BaselineRatioColumn.RatioMean)
        // Reports go beside the binaries (ignored by git), not into the directory `make bench` runs in.
        .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"))
        .WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend));
}
