using SsoOperator.Operator.Runtime;

namespace SsoOperator.Operator.Tests.Support;

/// <summary>
/// A reconciler written the way ours are: finalizer first, then the work, then status patched only when
/// it changed. It counts what it did, and ignores widgets of other tests' namespaces.
/// </summary>
public sealed class WidgetReconciler(IResourceApi<Widget> api, string ns) : IReconciler<Widget>
{
    private const string Finalizer = "test.ssooperator.dev/widget";
    private int reconciles;
    private int statusWrites;
    private int finalized;

    public int Reconciles => Volatile.Read(ref reconciles);

    public int StatusWrites => Volatile.Read(ref statusWrites);

    public int Finalized => Volatile.Read(ref finalized);

    public int FailuresLeft { get; set; }

    public async Task<ReconcileResult> ReconcileAsync(Widget resource, CancellationToken cancellationToken)
    {
        if (resource.Metadata.NamespaceProperty != ns)
        {
            return ReconcileResult.Done;
        }
        Interlocked.Increment(ref reconciles);
        if (resource.Metadata.IsBeingDeleted())
        {
            Interlocked.Increment(ref finalized);
            await api.RemoveFinalizerAsync(resource, Finalizer, cancellationToken);
            return ReconcileResult.Done;
        }
        if (FailuresLeft > 0)
        {
            FailuresLeft--;
            throw new InvalidOperationException("a failure the test asked for");
        }

        resource = await api.AddFinalizerAsync(resource, Finalizer, cancellationToken);
        var snapshot = StatusWriter.Snapshot(resource.Status);
        resource.Status.SeenSize = resource.Spec.Size;
        new ConditionSet(resource.Status, resource.Metadata.Generation).MarkReady("Reconciled", "size seen");
        if (await api.PatchStatusIfChangedAsync(resource, snapshot, resource.Status, cancellationToken))
        {
            Interlocked.Increment(ref statusWrites);
        }
        return ReconcileResult.Done;
    }
}
