using SsoOperator.Crds;

namespace SsoOperator.Operator.Runtime;

/// <summary>
/// Writes status conditions the way GitOps tools read them: one condition per type,
/// <c>observedGeneration</c> on each, and <c>lastTransitionTime</c> moved only when status, reason or
/// message change, so re-asserting the same condition writes nothing new. Setting any condition also
/// records the generation as the status's <c>observedGeneration</c>.
/// </summary>
public sealed class ConditionSet(IHasConditions status, long? generation, TimeProvider? time = null)
{
    public const string Ready = ConditionTypes.Ready;
    public const string Reconciling = ConditionTypes.Reconciling;
    public const string Stalled = ConditionTypes.Stalled;

    private readonly TimeProvider clock = time ?? TimeProvider.System;

    private IList<Condition> Conditions => status.Conditions;

    public Condition? Get(string type) => Conditions.FirstOrDefault(c => c.Type == type);

    public bool IsTrue(string type) => Get(type)?.Status == ConditionStatus.True;

    public void Set(string type, bool value, string reason, string message)
    {
        status.ObservedGeneration = generation;
        var wanted = value ? ConditionStatus.True : ConditionStatus.False;
        var duplicates = Conditions.Where(c => c.Type == type).ToList();
        var existing = duplicates.FirstOrDefault();
        foreach (var extra in duplicates.Skip(1))
        {
            Conditions.Remove(extra);
        }

        if (existing is null)
        {
            Conditions.Add(new Condition
            {
                Type = type, Status = wanted, Reason = reason, Message = message,
                LastTransitionTime = Now(), ObservedGeneration = generation,
            });
            return;
        }
        if (existing.Status != wanted || existing.Reason != reason || existing.Message != message)
        {
            existing.LastTransitionTime = Now();
        }
        (existing.Status, existing.Reason, existing.Message) = (wanted, reason, message);
        existing.ObservedGeneration = generation;
    }

    /// <summary>Removes the condition; a condition that no longer applies is absent rather than False.</summary>
    public void Remove(string type)
    {
        foreach (var condition in Conditions.Where(c => c.Type == type).ToList())
        {
            Conditions.Remove(condition);
        }
    }

    /// <summary>Ready=True; neither reconciling nor stalled.</summary>
    public void MarkReady(string reason, string message)
    {
        Set(Ready, true, reason, message);
        Remove(Reconciling);
        Remove(Stalled);
    }

    /// <summary>Ready=False while work is in flight or being retried; it will progress by itself.</summary>
    public void MarkReconciling(string reason, string message)
    {
        Set(Ready, false, reason, message);
        Set(Reconciling, true, reason, message);
        Remove(Stalled);
    }

    /// <summary>Ready=False and Stalled=True: it cannot progress until the resource changes.</summary>
    public void MarkStalled(string reason, string message)
    {
        Set(Ready, false, reason, message);
        Set(Stalled, true, reason, message);
        Remove(Reconciling);
    }

    // Note: metav1.Condition times have a one-second resolution; truncating keeps comparisons stable.
    private DateTime Now()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }
}
