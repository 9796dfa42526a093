using SsoOperator.Crds;
using SsoOperator.Operator.Runtime;

namespace SsoOperator.Operator.Tests.Runtime;

public sealed class ConditionSetTests
{
    private readonly ManualClock clock = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ProviderStatus status = new();

    private IList<Condition> Conditions => status.Conditions;

    [Fact]
    public void Set_New_AddsWithGenerationAndTime()
    {
        new ConditionSet(status, 3, clock).Set("Ready", true, "Reconciled", "ok");

        var ready = Assert.Single(Conditions);
        Assert.Equal(("Ready", ConditionStatus.True, "Reconciled", "ok"),
            (ready.Type, ready.Status, ready.Reason, ready.Message));
        Assert.Equal(3, status.ObservedGeneration);
        Assert.Equal(3, ready.ObservedGeneration);
        Assert.Equal(clock.GetUtcNow().UtcDateTime, ready.LastTransitionTime);
    }

    [Fact]
    public void Set_SameValuesLater_KeepsTransitionTimeAndBumpsGeneration()
    {
        new ConditionSet(status, 1, clock).Set("Ready", true, "Reconciled", "ok");
        var first = Conditions[0].LastTransitionTime;

        clock.Advance(TimeSpan.FromMinutes(5));
        new ConditionSet(status, 2, clock).Set("Ready", true, "Reconciled", "ok");

        Assert.Equal(first, Conditions[0].LastTransitionTime);
        Assert.Equal(2, Conditions[0].ObservedGeneration);
    }

    [Theory]
    [InlineData(false, "Reconciled", "ok")]
    [InlineData(true, "Other", "ok")]
    [InlineData(true, "Reconciled", "changed")]
    public void Set_StatusReasonOrMessageChanges_MovesTransitionTime(bool value, string reason, string message)
    {
        new ConditionSet(status, 1, clock).Set("Ready", true, "Reconciled", "ok");

        clock.Advance(TimeSpan.FromMinutes(5));
        new ConditionSet(status, 1, clock).Set("Ready", value, reason, message);

        Assert.Equal(clock.GetUtcNow().UtcDateTime, Conditions[0].LastTransitionTime);
    }

    [Fact]
    public void Set_DuplicateTypesPresent_KeepsOnlyOne()
    {
        Conditions.Add(new Condition { Type = "Ready", Status = ConditionStatus.False, Reason = "A", Message = "a" });
        Conditions.Add(new Condition { Type = "Ready", Status = ConditionStatus.False, Reason = "B", Message = "b" });

        new ConditionSet(status, 1, clock).Set("Ready", true, "Reconciled", "ok");

        Assert.Equal("Reconciled", Assert.Single(Conditions).Reason);
    }

    [Fact]
    public void MarkStalledThenReady_LeavesOnlyReady()
    {
        var set = new ConditionSet(status, 1, clock);
        set.MarkStalled("InvalidSpec", "spec.x is wrong");
        Assert.Equal(["Ready", "Stalled"], Conditions.Select(c => c.Type).Order());

        set.MarkReconciling("Progressing", "working");
        Assert.Equal(["Ready", "Reconciling"], Conditions.Select(c => c.Type).Order());

        set.MarkReady("Reconciled", "ok");
        Assert.Equal(ConditionStatus.True, Assert.Single(Conditions).Status);
    }

    [Fact]
    public void Set_SubSecondTime_IsTruncatedToSeconds()
    {
        clock.Advance(TimeSpan.FromMilliseconds(750));

        new ConditionSet(status, 1, clock).Set("Ready", true, "Reconciled", "ok");

        Assert.Equal(0, Conditions[0].LastTransitionTime!.Value.Millisecond);
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
