using SsoOperator.Crds;
using SsoOperator.Crds.Validation;
using SsoOperator.IdP.Store;
using SsoOperator.Operator.Runtime;

namespace SsoOperator.Operator.Reconcilers;

/// <summary>
/// What happens to a Group: the IdP group of its name is written with the declared members (taking over a
/// group of that name no resource owns yet), kept equal to the spec on every reconcile, and removed by a
/// finalizer when the Group is deleted.
/// </summary>
public sealed partial class GroupReconciler(IResourceApi<Group> groups, IConfigurationStore store,
    EventRecorder events, ChangeReport report, ILogger<GroupReconciler> logger) : IReconciler<Group>
{
    public const string Finalizer = "ssooperator.dev/group";

    public async Task<ReconcileResult> ReconcileAsync(Group group, CancellationToken cancellationToken)
    {
        var step = new Step<Group>(groups, group, events);

        // Deletion: the IdP group goes first, then the finalizer.
        if (group.Metadata.IsBeingDeleted())
        {
            return await FinalizeAsync(step, cancellationToken);
        }

        // Rules the schema cannot express: a spec that breaks them waits for an edit.
        var errors = group.Spec.Validate();
        if (errors.Count > 0)
        {
            step.Conditions.MarkStalled(Reasons.InvalidSpec, FieldError.Join(errors));
            return await step.FinishAsync(ReconcileResult.Terminal(Reasons.InvalidSpec), cancellationToken);
        }

        var updated = await groups.AddFinalizerAsync(group, Finalizer, cancellationToken);
        updated.Status = group.Status;
        step.Resource = updated;

        return await RegisterAsync(step, cancellationToken);
    }

    private async Task<ReconcileResult> RegisterAsync(Step<Group> step, CancellationToken token)
    {
        var group = step.Resource;
        var definition = new GroupDefinition(group.EffectiveGroupName, [.. group.Spec.Members], Owner(group));
        var wasReady = step.Conditions.IsTrue(ConditionTypes.Ready)
            && group.Status.ObservedGeneration == group.Metadata.Generation;
        var (result, failure) = await step.RegisterAsync(() => store.UpsertGroupAsync(definition, token),
            () => ReleasePreviousNameAsync(group, definition.Name, token),
            Reasons.GroupNameConflict, $"group {definition.Name}", token);
        if (failure is not null)
        {
            return failure;
        }
        await report.RecordAsync(group, result, wasReady, Words(group), token);
        return await MarkReadyAsync(step, definition.Name, wasReady, token);
    }

    private async Task<ReconcileResult> MarkReadyAsync(Step<Group> step, string name, bool wasReady,
        CancellationToken token)
    {
        var group = step.Resource;
        var count = group.Spec.Members.Count;
        group.Status.GroupName = name;
        group.Status.MemberCount = count;
        step.Conditions.MarkReady(Reasons.Reconciled,
            $"registered as {name} with {count} declared {(count == 1 ? "member" : "members")}");
        if (!wasReady)
        {
            LogReady(logger, group.Metadata.NamespaceProperty, group.Metadata.Name, name, count);
        }
        return await step.FinishAsync(ReconcileResult.Done, token);
    }

    // A group of that name that no resource owned is taken over: an Event of its own, not an update.
    private static ChangeWords Words(Group group) => new("GroupCreated", "GroupUpdated", "the group", "group",
        result => result.Changed?.Contains("Owner") == true
            ? ("GroupAdopted",
                $"took over the IdP's existing group {group.EffectiveGroupName}, which no resource owned")
            : null);

    // Note: the IdP compares group names case-insensitively, so "Admins" after "admins" is the same group
    // renamed in place; deleting the old name would delete it.
    private async Task ReleasePreviousNameAsync(Group group, string name, CancellationToken token)
    {
        if (group.Status.GroupName is { Length: > 0 } previous
            && !string.Equals(previous, name, StringComparison.OrdinalIgnoreCase))
        {
            await store.DeleteGroupAsync(previous, Owner(group), token);
        }
    }

    private async Task<ReconcileResult> FinalizeAsync(Step<Group> step, CancellationToken token)
    {
        var group = step.Resource;
        if (!group.Metadata.HasFinalizer(Finalizer))
        {
            return ReconcileResult.Done;
        }
        try
        {
            // Both: a rename registered just before a crash may not have reached status.groupName.
            var names = new[] { group.Status.GroupName, group.EffectiveGroupName }.OfType<string>()
                .Distinct(StringComparer.OrdinalIgnoreCase);
            foreach (var name in names)
            {
                await store.DeleteGroupAsync(name, Owner(group), token);
            }
        }
        catch (StoreUnavailableException)
        {
            return await step.FailAsync(Reasons.DatabaseUnavailable,
                "deleting: the IdP database cannot be reached; the group is removed once it can be",
                stalled: false, token);
        }
        LogDeleted(logger, group.Metadata.NamespaceProperty, group.Metadata.Name);
        await groups.RemoveFinalizerAsync(group, Finalizer, token);
        return ReconcileResult.Done;
    }

    private static ResourceOwner Owner(Group group) =>
        new(group.Kind, group.Metadata.NamespaceProperty, group.Metadata.Name);

    [LoggerMessage(1, LogLevel.Information, "Group {Namespace}/{Name} is Ready as {GroupName} with {Members} members")]
    private static partial void LogReady(ILogger logger, string @namespace, string name, string groupName,
        int members);

    [LoggerMessage(3, LogLevel.Information, "Group {Namespace}/{Name} deleted: its group is gone from the IdP")]
    private static partial void LogDeleted(ILogger logger, string @namespace, string name);
}
