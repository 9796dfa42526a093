using k8s.Models;

namespace SsoOperator.Operator.Runtime;

/// <summary>
/// Writes status conditions the way GitOps tools read them: one condition per type,
/// <c>observedGeneration</c> on each, and <c>lastTransitionTime</c> moved only when status, reason or
/// message change, so re-asserting the same condition writes nothing new.
/// </summary>
public sealed class ConditionSet(IList<V1Condition> conditions, long? generation, TimeProvider? time = null)
{
    public const string Ready = "Ready";
    public const string Reconciling = "Reconciling";
    public const string Stalled = "Stalled";

    private readonly TimeProvider clock = time ?? TimeProvider.System;

    public V1Condition? Get(string type) => conditions.FirstOrDefault(c => c.Type == type);

    public bool IsTrue(string type) => Get(type)?.Status == "True";

    public void Set(string type, bool status, string reason, string message)
    {
        var value = status ? "True" : "False";
        var duplicates = conditions.Where(c => c.Type == type).ToList();
        var existing = duplicates.FirstOrDefault();
        foreach (var extra in duplicates.Skip(1))
        {
            conditions.Remove(extra);
        }

        if (existing is null)
        {
            conditions.Add(new V1Condition
            {
                Type = type, Status = value, Reason = reason, Message = message,
                LastTransitionTime = Now(), ObservedGeneration = generation,
            });
            return;
        }
        if (existing.Status != value || existing.Reason != reason || existing.Message != message)
        {
            existing.LastTransitionTime = Now();
        }
        (existing.Status, existing.Reason, existing.Message) = (value, reason, message);
        existing.ObservedGeneration = generation;
    }

    /// <summary>Removes the condition; a condition that no longer applies is absent rather than False.</summary>
    public void Remove(string type)
    {
        foreach (var condition in conditions.Where(c => c.Type == type).ToList())
        {
            conditions.Remove(condition);
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
