using k8s.Models;
using SsoOperator.Operator.Runtime;

namespace SsoOperator.Operator.Tests.Runtime;

public sealed class ConditionSetTests
{
    private readonly ManualClock clock = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly List<V1Condition> conditions = [];

    [Fact]
    public void Set_New_AddsWithGenerationAndTime()
    {
        new ConditionSet(conditions, 3, clock).Set("Ready", true, "Reconciled", "ok");

        var ready = Assert.Single(conditions);
        Assert.Equal(("Ready", "True", "Reconciled", "ok"), (ready.Type, ready.Status, ready.Reason, ready.Message));
        Assert.Equal(3, ready.ObservedGeneration);
        Assert.Equal(clock.GetUtcNow().UtcDateTime, ready.LastTransitionTime);
    }

    [Fact]
    public void Set_SameValuesLater_KeepsTransitionTimeAndBumpsGeneration()
    {
        new ConditionSet(conditions, 1, clock).Set("Ready", true, "Reconciled", "ok");
        var first = conditions[0].LastTransitionTime;

        clock.Advance(TimeSpan.FromMinutes(5));
        new ConditionSet(conditions, 2, clock).Set("Ready", true, "Reconciled", "ok");

        Assert.Equal(first, conditions[0].LastTransitionTime);
        Assert.Equal(2, conditions[0].ObservedGeneration);
    }

    [Theory]
    [InlineData(false, "Reconciled", "ok")]
    [InlineData(true, "Other", "ok")]
    [InlineData(true, "Reconciled", "changed")]
    public void Set_StatusReasonOrMessageChanges_MovesTransitionTime(bool status, string reason, string message)
    {
        new ConditionSet(conditions, 1, clock).Set("Ready", true, "Reconciled", "ok");

        clock.Advance(TimeSpan.FromMinutes(5));
        new ConditionSet(conditions, 1, clock).Set("Ready", status, reason, message);

        Assert.Equal(clock.GetUtcNow().UtcDateTime, conditions[0].LastTransitionTime);
    }

    [Fact]
    public void Set_DuplicateTypesPresent_KeepsOnlyOne()
    {
        conditions.Add(new V1Condition { Type = "Ready", Status = "False", Reason = "A", Message = "a" });
        conditions.Add(new V1Condition { Type = "Ready", Status = "False", Reason = "B", Message = "b" });

        new ConditionSet(conditions, 1, clock).Set("Ready", true, "Reconciled", "ok");

        Assert.Equal("Reconciled", Assert.Single(conditions).Reason);
    }

    [Fact]
    public void MarkStalledThenReady_LeavesOnlyReady()
    {
        var set = new ConditionSet(conditions, 1, clock);
        set.MarkStalled("InvalidSpec", "spec.x is wrong");
        Assert.Equal(["Ready", "Stalled"], conditions.Select(c => c.Type).Order());

        set.MarkReconciling("Progressing", "working");
        Assert.Equal(["Ready", "Reconciling"], conditions.Select(c => c.Type).Order());

        set.MarkReady("Reconciled", "ok");
        Assert.Equal("True", Assert.Single(conditions).Status);
    }

    [Fact]
    public void Set_SubSecondTime_IsTruncatedToSeconds()
    {
        clock.Advance(TimeSpan.FromMilliseconds(750));

        new ConditionSet(conditions, 1, clock).Set("Ready", true, "Reconciled", "ok");

        Assert.Equal(0, conditions[0].LastTransitionTime.Millisecond);
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
