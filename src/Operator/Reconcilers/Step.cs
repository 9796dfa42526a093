using SsoOperator.Crds;
using SsoOperator.Operator.Runtime;

namespace SsoOperator.Operator.Reconcilers;

/// <summary>
/// One reconcile of one resource: its conditions, and the status as read, so that status is patched
/// once at the end and only when it changed.
/// </summary>
public sealed class Step<T>(IResourceApi<T> api, T resource)
    where T : ICustomResource
{
    private readonly string snapshot = StatusWriter.Snapshot(resource.CurrentStatus);

    public T Resource { get; set; } = resource;

    public ConditionSet Conditions { get; } = new(resource.CurrentStatus, resource.Metadata.Generation);

    /// <summary>Ready=False with the reason; Stalled when it needs a change, Reconciling otherwise.</summary>
    public Task<ReconcileResult> FailAsync(string reason, string message, bool stalled,
        CancellationToken cancellationToken, bool retry = false)
    {
        if (stalled)
        {
            Conditions.MarkStalled(reason, message);
        }
        else
        {
            Conditions.MarkReconciling(reason, message);
        }
        var result = stalled && !retry ? ReconcileResult.Terminal(reason) : ReconcileResult.Retry(reason);
        return FinishAsync(result, cancellationToken);
    }

    public async Task<ReconcileResult> FinishAsync(ReconcileResult result, CancellationToken cancellationToken)
    {
        await api.PatchStatusIfChangedAsync(Resource, snapshot, Resource.CurrentStatus, cancellationToken);
        return result;
    }
}
