using SsoOperator.Crds;
using SsoOperator.IdP.Store;
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

    /// <summary>
    /// Writes the resource's IdP row, then releases what it held under a previous name: only once the new one
    /// is registered, so a refused rename keeps the old one working. The failure to return when it did not
    /// register: DatabaseUnavailable (retried), or <paramref name="conflictReason"/> naming the holder.
    /// </summary>
    public async Task<(UpsertResult Result, ReconcileResult? Failure)> RegisterAsync(
        Func<Task<UpsertResult>> upsert, Func<Task> releasePrevious, string conflictReason, string name,
        CancellationToken cancellationToken)
    {
        UpsertResult result;
        try
        {
            result = await upsert();
            if (result.Outcome != UpsertOutcome.Conflict)
            {
                await releasePrevious();
            }
        }
        catch (StoreUnavailableException)
        {
            return (new UpsertResult(UpsertOutcome.Unchanged), await FailAsync(Reasons.DatabaseUnavailable,
                "the IdP database cannot be reached; retrying", stalled: false, cancellationToken));
        }

        if (result.Outcome == UpsertOutcome.Conflict)
        {
            return (result, await FailAsync(conflictReason,
                $"{name} is already held by {result.HeldBy}; the first holder keeps it",
                stalled: true, cancellationToken, retry: true));
        }
        return (result, null);
    }

    public async Task<ReconcileResult> FinishAsync(ReconcileResult result, CancellationToken cancellationToken)
    {
        await api.PatchStatusIfChangedAsync(Resource, snapshot, Resource.CurrentStatus, cancellationToken);
        return result;
    }
}
