using k8s;
using k8s.Models;

namespace SsoOperator.Operator.Runtime;

/// <summary>
/// Brings the world in line with one resource, as read from the API server just before the call.
/// Expected outcomes are results; an exception is a bug or an unexpected failure, logged once by the
/// loop and retried with backoff.
/// </summary>
public interface IReconciler<T>
    where T : IKubernetesObject<V1ObjectMeta>
{
    Task<ReconcileResult> ReconcileAsync(T resource, CancellationToken cancellationToken);
}

/// <summary>A controller the runtime starts while this replica leads.</summary>
public interface IController
{
    string Kind { get; }

    /// <summary>True once every watcher of the current run has listed.</summary>
    bool HasSynced { get; }

    Task RunAsync(CancellationToken cancellationToken);
}

/// <summary>How a controller runs: workers, periodic resync, backoff, watch settings.</summary>
public sealed record ControllerOptions
{
    public int Workers { get; init; } = 2;

    /// <summary>Every resource is reconciled again this often, which corrects drift in the IdP.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(10);

    public Backoff Backoff { get; init; } = Backoff.Default;

    public WatcherOptions Watch { get; init; } = new();
}
