using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace SsoOperator.Operator.Runtime;

/// <summary>
/// Keeps an up-to-date view of one kind: lists once, then watches from the list's resourceVersion,
/// resuming from the last version seen whenever the stream ends. When the server answers
/// <c>410 Gone</c> (that version was compacted away) it lists again, and reports objects that
/// disappeared meanwhile as deleted. Every change goes to <paramref name="onEvent"/>, after
/// <paramref name="trim"/> (if given) dropped what the cache should not keep, such as Secret values.
/// </summary>
public sealed partial class ResourceWatcher<T>(IResourceApi<T> api, Action<WatchEventType, T> onEvent,
    ILogger logger, WatcherOptions? options = null, OperatorMetrics? metrics = null, Func<T, T>? trim = null)
    where T : IKubernetesObject<V1ObjectMeta>
{
    private readonly ConcurrentDictionary<ObjectKey, T> cache = new();
    private readonly WatcherOptions settings = options ?? new WatcherOptions();
    private readonly TaskCompletionSource synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int lists;

    public string Kind => api.Kind;

    /// <summary>The last resourceVersion seen; the next watch resumes from it.</summary>
    public string? ResourceVersion { get; private set; }

    /// <summary>How many full lists were made: one at start, one more after each 410 Gone.</summary>
    public int Lists => lists;

    public bool HasSynced => synced.Task.IsCompleted;

    /// <summary>The objects as last seen, by key.</summary>
    public IReadOnlyCollection<T> Items => cache.Values.ToArray();

    public bool TryGet(ObjectKey key, out T? value) => cache.TryGetValue(key, out value);

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => synced.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// Runs until cancelled. <paramref name="resumeFrom"/> starts with a watch from that version instead
    /// of a list, as a watcher that had already seen it would.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken, string? resumeFrom = null)
    {
        ResourceVersion = resumeFrom;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                ResourceVersion ??= await ListAsync(cancellationToken);
                ResourceVersion = await WatchAsync(ResourceVersion, cancellationToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Gone)
            {
                ResourceVersion = null;
            }
            catch (HttpRequestException e) when (e.InnerException is EndOfStreamException)
            {
                // Note: the client reports a watch that ended before its first event this way; it is
                // a quiet kind, not a failure, so the next watch resumes from the same version at once.
                LogQuietWatchEnded(logger, Kind);
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException)
            {
                var delay = settings.Backoff.Delay(failures++);
                LogWatchFailed(logger, e, Kind, delay.TotalSeconds);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task<string> ListAsync(CancellationToken cancellationToken)
    {
        var list = await api.ListAsync(cancellationToken);
        var seen = new HashSet<ObjectKey>();
        foreach (var item in list.Items.Select(Trim))
        {
            var key = ObjectKey.Of(item);
            seen.Add(key);
            var existed = cache.ContainsKey(key);
            cache[key] = item;
            onEvent(existed ? WatchEventType.Modified : WatchEventType.Added, item);
        }
        foreach (var (key, gone) in cache.Where(entry => !seen.Contains(entry.Key)).ToList())
        {
            cache.TryRemove(key, out _);
            onEvent(WatchEventType.Deleted, gone);
        }

        Interlocked.Increment(ref lists);
        metrics?.Relists.WithLabels(Kind).Inc();
        LogListed(logger, Kind, list.Items.Count, list.ResourceVersion);
        synced.TrySetResult();
        return list.ResourceVersion;
    }

    /// <summary>Returns the version to resume from, or null when the server said it is gone.</summary>
    private async Task<string?> WatchAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        var expired = false;
        void OnError(Exception e)
        {
            if (e is KubernetesException { Status.Code: (int)HttpStatusCode.Gone })
            {
                expired = true;
                LogExpired(logger, Kind, resourceVersion);
                return;
            }
            LogWatchError(logger, e, Kind);
        }

        var events = api.WatchAsync(resourceVersion, settings.WatchTimeout, OnError, cancellationToken);
        await foreach (var (type, item) in events)
        {
            ResourceVersion = resourceVersion = item.Metadata?.ResourceVersion ?? resourceVersion;
            Apply(type, item);
        }
        return expired ? null : resourceVersion;
    }

    private T Trim(T item) => trim is null ? item : trim(item);

    private void Apply(WatchEventType type, T item)
    {
        if (type == WatchEventType.Bookmark || type == WatchEventType.Error)
        {
            return;
        }
        item = Trim(item);
        var key = ObjectKey.Of(item);
        if (type == WatchEventType.Deleted)
        {
            cache.TryRemove(key, out _);
        }
        else
        {
            cache[key] = item;
        }
        LogEvent(logger, Kind, type, key, item.Metadata.ResourceVersion);
        onEvent(type, item);
    }

    [LoggerMessage(1, LogLevel.Debug, "Listed {Count} {Kind} at resourceVersion {ResourceVersion}")]
    private static partial void LogListed(ILogger logger, string kind, int count, string resourceVersion);

    [LoggerMessage(2, LogLevel.Information,
        "Watch of {Kind} from resourceVersion {ResourceVersion} expired (410 Gone); listing again")]
    private static partial void LogExpired(ILogger logger, string kind, string resourceVersion);

    [LoggerMessage(3, LogLevel.Warning, "Watch of {Kind} failed; retrying in {DelaySeconds} s")]
    private static partial void LogWatchFailed(ILogger logger, Exception error, string kind, double delaySeconds);

    [LoggerMessage(4, LogLevel.Warning, "Watch of {Kind} reported an error")]
    private static partial void LogWatchError(ILogger logger, Exception error, string kind);

    [LoggerMessage(6, LogLevel.Debug, "Watch of {Kind} ended without events; resuming")]
    private static partial void LogQuietWatchEnded(ILogger logger, string kind);

    [LoggerMessage(5, LogLevel.Debug, "{Kind} {Type} {Key} at resourceVersion {ResourceVersion}")]
    private static partial void LogEvent(ILogger logger, string kind, WatchEventType type, ObjectKey key,
        string resourceVersion);
}

/// <summary>How long one watch request lasts and how the watcher backs off after failures.</summary>
public sealed record WatcherOptions
{
    /// <summary>
    /// Kept under the client's 100 s HTTP timeout; the watch resumes from the last version after it,
    /// so a short value costs one request, not a re-list.
    /// </summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public Backoff Backoff { get; init; } = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));
}
