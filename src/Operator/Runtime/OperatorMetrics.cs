using Prometheus;

namespace SsoOperator.Operator.Runtime;

/// <summary>The operator's Prometheus metrics, in one registry that /metrics serves.</summary>
public sealed class OperatorMetrics
{
    public OperatorMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        var factory = Metrics.WithCustomRegistry(registry);
        Reconciles = factory.CreateCounter("ssooperator_reconcile_total",
            "Reconciles by kind and result (done, requeue, retry, terminal).", "kind", "result");
        Durations = factory.CreateHistogram("ssooperator_reconcile_duration_seconds",
            "Time one reconcile took, by kind.", new HistogramConfiguration
            {
                LabelNames = ["kind"],
                Buckets = Histogram.ExponentialBuckets(0.005, 2, 14),
            });
        QueueDepth = factory.CreateGauge("ssooperator_workqueue_depth",
            "Keys waiting for a worker, by kind.", "kind");
        Relists = factory.CreateCounter("ssooperator_watch_relists_total",
            "Full lists made by the watchers (one at start, one after each 410 Gone), by kind.", "kind");
        DriftCorrections = factory.CreateCounter("ssooperator_drift_corrections_total",
            "Rows in the IdP that a resync found changed behind the operator's back and corrected.", "kind");
        Leader = factory.CreateGauge("ssooperator_leader", "1 while this replica holds the leader lease.");
    }

    public CollectorRegistry Registry { get; }

    public Counter Reconciles { get; }

    public Histogram Durations { get; }

    public Gauge QueueDepth { get; }

    public Counter Relists { get; }

    public Counter DriftCorrections { get; }

    public Gauge Leader { get; }
}
