using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SsoOperator.Operator.Runtime;

/// <summary>
/// The hosted service that ties the runtime together: competes for leadership and, while leading, runs
/// every controller. Also answers readiness: a standby is ready; a leader once its watchers have listed.
/// </summary>
public sealed class OperatorRuntime(IEnumerable<IController> controllers, LeaderElection election,
    OperatorMetrics metrics) : BackgroundService, IHealthCheck
{
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
            await Task.WhenAll(Controllers.Select(c => c.RunAsync(cancellationToken)));
        }
        finally
        {
            metrics.Leader.Set(0);
        }
    }
}
