namespace SsoOperator.Operator.Runtime;

/// <summary>
/// What a reconcile asks of the loop next. A closed set: done, requeue after a duration, retry with the
/// key's backoff, or stop until the spec changes.
/// </summary>
public abstract record ReconcileResult
{
    private ReconcileResult()
    {
    }

    /// <summary>The label this outcome carries in metrics and logs.</summary>
    public abstract string Label { get; }

    public static ReconcileResult Done { get; } = new DoneResult();

    public static ReconcileResult RequeueAfter(TimeSpan delay) => new RequeueAfterResult(delay);

    /// <summary>A transient failure: try again after the key's exponential backoff.</summary>
    public static ReconcileResult Retry(string reason) => new RetryResult(reason);

    /// <summary>Nothing can progress until the resource changes; its next event brings it back.</summary>
    public static ReconcileResult Terminal(string reason) => new TerminalResult(reason);

    public sealed record DoneResult : ReconcileResult
    {
        public override string Label => "done";
    }

    public sealed record RequeueAfterResult(TimeSpan Delay) : ReconcileResult
    {
        public override string Label => "requeue";
    }

    public sealed record RetryResult(string Reason) : ReconcileResult
    {
        public override string Label => "retry";
    }

    public sealed record TerminalResult(string Reason) : ReconcileResult
    {
        public override string Label => "terminal";
    }
}
