using SsoOperator.Crds;
using SsoOperator.Operator.Runtime;

namespace SsoOperator.Operator.Reconcilers;

/// <summary>
/// One reconcile of one resource: its conditions, and the status as read, so that status is patched
/// once at the end and only when it changed. A failure with a new reason is also a Warning Event, so that
/// <c>kubectl describe</c> tells the story; a retry with the same reason records nothing more.
/// </summary>
public sealed class Step<T>(IResourceApi<T> api, T resource, EventRecorder events)
    where T : ICustomResource
{
    private readonly string snapshot = StatusWriter.Snapshot(resource.CurrentStatus);

    public T Resource { get; set; } = resource;

    public ConditionSet Conditions { get; } = new(resource.CurrentStatus, resource.Metadata.Generation);

    /// <summary>Ready=False with the reason; Stalled when it needs a change, Reconciling otherwise.</summary>
    public async Task<ReconcileResult> FailAsync(string reason, string message, bool stalled,
        CancellationToken cancellationToken, bool retry = false)
    {
        var before = Conditions.Get(ConditionTypes.Ready);
        if (before?.Status != ConditionStatus.False || before.Reason != reason)
        {
            await events.RecordAsync(Resource, EventRecorder.Warning, reason, message, cancellationToken);
        }

        if (stalled)
        {
            Conditions.MarkStalled(reason, message);
        }
        else
        {
            Conditions.MarkReconciling(reason, message);
        }
        var result = stalled && !retry ? ReconcileResult.Terminal(reason) : ReconcileResult.Retry(reason);
        return await FinishAsync(result, cancellationToken);
    }

    public async Task<ReconcileResult> FinishAsync(ReconcileResult result, CancellationToken cancellationToken)
    {
        await api.PatchStatusIfChangedAsync(Resource, snapshot, Resource.CurrentStatus, cancellationToken);
        return result;
    }
}
