using System.Diagnostics;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace SsoOperator.Operator.Runtime;

/// <summary>
/// Runs one reconciler: watches its kind (and any related kinds, mapped to keys of its kind), queues keys,
/// and lets a bounded number of workers reconcile them, one key at a time each. The object is read
/// afresh for every reconcile, inside a log scope naming kind, namespace, name and generation.
/// </summary>
public sealed partial class Controller<T>(IResourceApi<T> api, IReconciler<T> reconciler,
    ControllerOptions options, OperatorMetrics metrics, ILoggerFactory loggers) : IController
    where T : IKubernetesObject<V1ObjectMeta>
{
    private readonly ILogger logger = loggers.CreateLogger($"SsoOperator.Operator.Controller.{api.Kind}");
    private readonly List<Func<WorkQueue<ObjectKey>, ResourceWatcher<T>, IWatcherRun>> related = [];
    private volatile Run? current;

    public string Kind => api.Kind;

    public bool HasSynced => current is { } run && run.Watchers.All(w => w.HasSynced);

    /// <summary>The current run's watcher of this kind (null while not running).</summary>
    public ResourceWatcher<T>? Watcher => current?.Primary;

    /// <summary>
    /// Reconciles the keys <paramref name="map"/> returns when an object of another kind changes.
    /// <paramref name="trim"/> drops what the watcher's cache should not hold (Secret values, say).
    /// </summary>
    public Controller<T> Watches<TOther>(IResourceApi<TOther> otherApi,
        Func<TOther, IReadOnlyCollection<T>, IEnumerable<ObjectKey>> map, Func<TOther, TOther>? trim = null)
        where TOther : IKubernetesObject<V1ObjectMeta>
    {
        related.Add((queue, primary) => new WatcherRun<TOther>(new ResourceWatcher<TOther>(otherApi,
            (_, item) => Enqueue(queue, map(item, primary.Items)), logger, options.Watch, metrics, trim)));
        return this;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var queue = new WorkQueue<ObjectKey>(options.Backoff);
        var primary = new ResourceWatcher<T>(api, (_, item) => queue.Add(ObjectKey.Of(item)), logger,
            options.Watch, metrics);
        var run = new Run(primary, [new WatcherRun<T>(primary), .. related.Select(r => r(queue, primary))]);
        current = run;
        LogStarting(logger, Kind, options.Workers);

        var watching = run.All.Select(w => w.RunAsync(cancellationToken)).ToList();
        try
        {
            await primary.WaitForSyncAsync(cancellationToken);
            var workers = Enumerable.Range(0, options.Workers).Select(_ => WorkAsync(queue, cancellationToken));
            await Task.WhenAll([.. watching, .. workers, ResyncAsync(queue, primary, cancellationToken)]);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Task.WhenAll(watching);
        }
        finally
        {
            current = null;
        }
    }

    private static void Enqueue(WorkQueue<ObjectKey> queue, IEnumerable<ObjectKey> keys)
    {
        foreach (var key in keys)
        {
            queue.Add(key);
        }
    }

    private async Task ResyncAsync(WorkQueue<ObjectKey> queue, ResourceWatcher<T> primary, CancellationToken token)
    {
        using var timer = new PeriodicTimer(options.ResyncPeriod);
        while (await timer.WaitForNextTickAsync(token))
        {
            LogResync(logger, Kind, primary.Items.Count);
            Enqueue(queue, primary.Items.Select(item => ObjectKey.Of(item)));
        }
    }

    private async Task WorkAsync(WorkQueue<ObjectKey> queue, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var key = await queue.TakeAsync(cancellationToken);
            metrics.QueueDepth.WithLabels(Kind).Set(queue.Depth);
            try
            {
                await ProcessAsync(queue, key, cancellationToken);
            }
            finally
            {
                queue.Done(key);
                metrics.QueueDepth.WithLabels(Kind).Set(queue.Depth);
            }
        }
    }

    private async Task ProcessAsync(WorkQueue<ObjectKey> queue, ObjectKey key, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var result = await ReconcileAsync(key, cancellationToken);
        if (result is null)
        {
            queue.Forget(key);
            return;
        }

        metrics.Reconciles.WithLabels(Kind, result.Label).Inc();
        metrics.Durations.WithLabels(Kind).Observe(clock.Elapsed.TotalSeconds);
        switch (result)
        {
            case ReconcileResult.RetryResult:
                queue.AddWithBackoff(key);
                break;
            case ReconcileResult.RequeueAfterResult requeue:
                queue.Forget(key);
                queue.AddAfter(key, requeue.Delay);
                break;
            default:
                queue.Forget(key);
                break;
        }
        LogReconciled(logger, Kind, key, result.Label, clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>Null when the object no longer exists: there is nothing left to do for it.</summary>
    private async Task<ReconcileResult?> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        T? resource;
        try
        {
            resource = await api.GetAsync(key, cancellationToken);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            LogReadFailed(logger, e, Kind, key);
            return ReconcileResult.Retry("ReadFailed");
        }
        if (resource is null)
        {
            return null;
        }

        // A template, not a dictionary: the JSON console writes a scope's text as its Message, and a dictionary's
        // text is its type name.
        using var scope = logger.BeginScope("{Kind} {Namespace}/{Name} generation {Generation}",
            Kind, key.Namespace, key.Name, resource.Metadata.Generation);
        try
        {
            return await reconciler.ReconcileAsync(resource, cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Note: 409 means the object changed since it was read; its own watch event brings it back.
            LogConflict(logger, Kind, key);
            return ReconcileResult.Retry("Conflict");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogReconcileFailed(logger, e, Kind, key);
            return ReconcileResult.Retry(e.GetType().Name);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Starting controller for {Kind} with {Workers} workers")]
    private static partial void LogStarting(ILogger logger, string kind, int workers);

    [LoggerMessage(2, LogLevel.Debug, "Reconciled {Kind} {Key}: {Result} in {ElapsedMs} ms")]
    private static partial void LogReconciled(ILogger logger, string kind, ObjectKey key, string result,
        double elapsedMs);

    [LoggerMessage(3, LogLevel.Error, "Reconcile of {Kind} {Key} failed; retrying with backoff")]
    private static partial void LogReconcileFailed(ILogger logger, Exception error, string kind, ObjectKey key);

    [LoggerMessage(4, LogLevel.Warning, "Could not read {Kind} {Key}; retrying with backoff")]
    private static partial void LogReadFailed(ILogger logger, Exception error, string kind, ObjectKey key);

    [LoggerMessage(5, LogLevel.Debug, "{Kind} {Key} changed while reconciling; retrying")]
    private static partial void LogConflict(ILogger logger, string kind, ObjectKey key);

    [LoggerMessage(6, LogLevel.Debug, "Resync: queueing all {Count} {Kind}")]
    private static partial void LogResync(ILogger logger, string kind, int count);

    private sealed record Run(ResourceWatcher<T> Primary, IReadOnlyList<IWatcherRun> All)
    {
        public IEnumerable<IWatcherRun> Watchers => All;
    }
}

/// <summary>A watcher of any kind, as the controller runs it.</summary>
internal interface IWatcherRun
{
    bool HasSynced { get; }

    Task RunAsync(CancellationToken cancellationToken);
}

internal sealed class WatcherRun<TOther>(ResourceWatcher<TOther> watcher) : IWatcherRun
    where TOther : IKubernetesObject<V1ObjectMeta>
{
    public bool HasSynced => watcher.HasSynced;

    public Task RunAsync(CancellationToken cancellationToken) => watcher.RunAsync(cancellationToken);
}
