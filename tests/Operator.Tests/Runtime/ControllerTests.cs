using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;
using SsoOperator.Operator.Runtime;
using SsoOperator.Operator.Tests.Support;

namespace SsoOperator.Operator.Tests.Runtime;

public sealed class ControllerTests
{
    private static readonly ControllerOptions Fast = new()
    {
        Workers = 2,
        ResyncPeriod = TimeSpan.FromMilliseconds(300),
        Backoff = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(500)),
    };

    private readonly OperatorMetrics metrics = new(Metrics.NewCustomRegistry());

    [Fact]
    public async Task RunAsync_NewWidget_ReadyOnceThenResyncsWithoutWrites()
    {
        var (widgets, reconciler, stop, running) = await StartAsync("ctl");
        await widgets.CreateAsync("w", size: 5);

        await TestCluster.EventuallyAsync(async () => (await widgets.GetAsync("w"))?.Status.SeenSize == 5, "status");
        var afterReady = (await widgets.GetAsync("w"))!;
        var reconciles = reconciler.Reconciles;
        await TestCluster.EventuallyAsync(() => reconciler.Reconciles >= reconciles + 3, "three resyncs");
        var later = (await widgets.GetAsync("w"))!;
        await stop.CancelAsync();
        await running;

        Assert.Equal(1, reconciler.StatusWrites);
        Assert.Equal(afterReady.Metadata.ResourceVersion, later.Metadata.ResourceVersion);
        Assert.Equal(later.Metadata.Generation, later.Status.ObservedGeneration);
        Assert.Contains("test.ssooperator.dev/widget", later.Metadata.Finalizers);
        Assert.True(metrics.Reconciles.WithLabels("Widget", "done").Value >= 3);
    }

    [Fact]
    public async Task RunAsync_DeletedWidget_FinalizerRunsThenObjectGoes()
    {
        var (widgets, reconciler, stop, running) = await StartAsync("fin");
        await widgets.CreateAsync("w");
        await TestCluster.EventuallyAsync(async () => (await widgets.GetAsync("w"))?.Status.SeenSize == 1, "status");

        await widgets.DeleteAsync("w");
        await TestCluster.EventuallyAsync(async () => await widgets.GetAsync("w") is null, "the object to go");
        await stop.CancelAsync();
        await running;

        Assert.Equal(1, reconciler.Finalized);
    }

    [Fact]
    public async Task RunAsync_ReconcilerFailsTwice_RetriesWithBackoffThenSucceeds()
    {
        var (widgets, reconciler, stop, running) = await StartAsync("retry");
        reconciler.FailuresLeft = 2;
        await widgets.CreateAsync("w", size: 7);

        await TestCluster.EventuallyAsync(async () => (await widgets.GetAsync("w"))?.Status.SeenSize == 7, "status");
        await stop.CancelAsync();
        await running;

        Assert.Equal(0, reconciler.FailuresLeft);
        Assert.Equal(2, metrics.Reconciles.WithLabels("Widget", "retry").Value);
    }

    [Fact]
    public async Task RunAsync_Reconcile_OneScopeNamingKindObjectAndGeneration()
    {
        var log = new RecordingLogger();
        var (widgets, _, stop, running) = await StartAsync("scope", log);
        await widgets.CreateAsync("w", size: 3);

        await TestCluster.EventuallyAsync(async () => (await widgets.GetAsync("w"))?.Status.SeenSize == 3, "status");
        await stop.CancelAsync();
        await running;

        // The controller sees every namespace's widgets (other tests run beside this one); ours is the one here.
        var expected = $"Widget {widgets.Namespace}/w generation 1";
        var scope = log.Scopes.First(s => s.ToString() == expected);
        var pairs = Assert.IsAssignableFrom<IEnumerable<KeyValuePair<string, object?>>>(scope).ToDictionary();
        Assert.Equal(("Widget", "w", 1L), (pairs["Kind"], pairs["Name"], pairs["Generation"]));
    }

    private async Task<(WidgetClient, WidgetReconciler, CancellationTokenSource, Task)> StartAsync(string prefix,
        ILoggerFactory? loggers = null)
    {
        await Widget.InstallAsync();
        var (client, ns) = await TestCluster.NamespaceAsync(prefix);
        var widgets = new WidgetClient(client, ns);
        var reconciler = new WidgetReconciler(widgets.Api, ns);
        var controller = new Controller<Widget>(widgets.Api, reconciler, Fast, metrics,
            loggers ?? NullLoggerFactory.Instance);
        var stop = new CancellationTokenSource();
        var running = controller.RunAsync(stop.Token);
        await TestCluster.EventuallyAsync(() => controller.HasSynced, "the first list");
        return (widgets, reconciler, stop, running);
    }
}
