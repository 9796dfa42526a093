using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SsoOperator.Operator.Runtime;

/// <summary>
/// The hosted service that ties the runtime together: competes for leadership and, while leading, runs
/// every controller. Also answers readiness: a standby is ready; a leader once its watchers have listed.
/// </summary>
public sealed partial class OperatorRuntime(IEnumerable<IController> controllers,
    IEnumerable<ILeaderStartup> startups, LeaderElection election, OperatorMetrics metrics,
    ILogger<OperatorRuntime> logger) : BackgroundService, IHealthCheck
{
    private static readonly Backoff StartupBackoff = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    public bool IsLeader => election.IsLeader;

    public IReadOnlyList<IController> Controllers { get; } = [.. controllers];

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context,
        CancellationToken cancellationToken = default)
    {
        var waiting = Controllers.Where(c => !c.HasSynced).Select(c => c.Kind).ToList();
        var result = !election.IsLeader
            ? HealthCheckResult.Healthy($"standing by; leader is {election.Leader ?? "unknown"}")
            : waiting.Count == 0
                ? HealthCheckResult.Healthy("leading")
                : HealthCheckResult.Unhealthy($"leading; waiting for the first list of {string.Join(", ", waiting)}");
        return Task.FromResult(result);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        election.RunAsync(LeadAsync, stoppingToken);

    private async Task LeadAsync(CancellationToken cancellationToken)
    {
        metrics.Leader.Set(1);
        try
        {
            foreach (var startup in startups)
            {
                await StartAsync(startup, cancellationToken);
            }
            await Task.WhenAll(Controllers.Select(c => c.RunAsync(cancellationToken)));
        }
        finally
        {
            metrics.Leader.Set(0);
        }
    }

    /// <summary>Retries a startup step (such as a database migration) until it succeeds.</summary>
    private async Task StartAsync(ILeaderStartup startup, CancellationToken cancellationToken)
    {
        for (var failures = 0; ; failures++)
        {
            try
            {
                await startup.RunAsync(cancellationToken);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var delay = StartupBackoff.Delay(failures);
                LogStartupFailed(logger, e, startup.GetType().Name, delay.TotalSeconds);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Startup step {Step} failed; retrying in {DelaySeconds} s")]
    private static partial void LogStartupFailed(ILogger logger, Exception error, string step, double delaySeconds);
}

/// <summary>Work the leader does once at the start of each term, before its controllers run.</summary>
public interface ILeaderStartup
{
    Task RunAsync(CancellationToken cancellationToken);
}
