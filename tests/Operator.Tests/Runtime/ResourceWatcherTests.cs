using System.Collections.Concurrent;
using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SsoOperator.Operator.Runtime;
using SsoOperator.Operator.Tests.Support;

namespace SsoOperator.Operator.Tests.Runtime;

public sealed class ResourceWatcherTests
{
    private readonly ConcurrentQueue<(WatchEventType Type, string Name, int Size)> seen = new();

    [Fact]
    public async Task RunAsync_ChangesAcrossSeveralWatchRequests_AllSeenWithOneList()
    {
        await Widget.InstallAsync();
        var (client, ns) = await TestCluster.NamespaceAsync("watch");
        var widgets = new WidgetClient(client, ns);
        var watcher = Watcher(widgets, ns, new WatcherOptions { WatchTimeout = TimeSpan.FromSeconds(1) });
        using var stop = new CancellationTokenSource();
        var running = watcher.RunAsync(stop.Token);
        await watcher.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        // Each step outlives a one-second watch request, so every change arrives on a resumed watch.
        await widgets.CreateAsync("a");
        await Task.Delay(1500);
        await widgets.ResizeAsync("a", 2);
        await Task.Delay(1500);
        await widgets.DeleteAsync("a");
        await TestCluster.EventuallyAsync(() => seen.Any(e => e.Type == WatchEventType.Deleted), "the delete");
        await stop.CancelAsync();
        await running;

        Assert.Equal([(WatchEventType.Added, "a", 1), (WatchEventType.Modified, "a", 2),
            (WatchEventType.Deleted, "a", 2)], seen);
        Assert.Equal(1, watcher.Lists);
        Assert.DoesNotContain(watcher.Items, w => w.Metadata.NamespaceProperty == ns);
    }

    [Fact]
    public async Task RunAsync_ResumeFromCompactedVersion_ListsAgainAndCatchesUp()
    {
        await Widget.InstallAsync();
        var (client, ns) = await TestCluster.NamespaceAsync("gone");
        var widgets = new WidgetClient(client, ns);
        await widgets.CreateAsync("b", size: 3);
        var watcher = Watcher(widgets, ns, new WatcherOptions());
        using var stop = new CancellationTokenSource();

        // Version 1 is far older than anything the server still keeps, so the watch answers 410 Gone.
        var running = watcher.RunAsync(stop.Token, resumeFrom: "1");
        await watcher.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        await widgets.ResizeAsync("b", 4);
        await TestCluster.EventuallyAsync(() => seen.Any(e => e.Size == 4), "the resize after the re-list");
        await stop.CancelAsync();
        await running;

        Assert.Equal(1, watcher.Lists);
        Assert.Equal([(WatchEventType.Added, "b", 3), (WatchEventType.Modified, "b", 4)], seen);
        Assert.NotEqual("1", watcher.ResourceVersion);
    }

    [Fact]
    public async Task RunAsync_QuietNamespace_WatchesEndWithoutEventsAndResumeWithoutRelisting()
    {
        await Widget.InstallAsync();
        var (client, ns) = await TestCluster.NamespaceAsync("quiet");
        var api = new CustomResourceApi<Widget>(client, Widget.Type, ns);
        var log = new RecordingLogger();
        var watcher = new ResourceWatcher<Widget>(api, (type, widget) =>
            seen.Enqueue((type, widget.Metadata.Name, widget.Spec.Size)), log,
            new WatcherOptions { WatchTimeout = TimeSpan.FromSeconds(1) });
        using var stop = new CancellationTokenSource();
        var running = watcher.RunAsync(stop.Token);
        await watcher.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        // Several one-second watches end with no event at all before the widget arrives.
        await Task.Delay(3500);
        await new WidgetClient(client, ns).CreateAsync("late", size: 2);
        await TestCluster.EventuallyAsync(() => !seen.IsEmpty, "the widget", TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await running;

        Assert.Equal([(WatchEventType.Added, "late", 2)], seen);
        Assert.Equal(1, watcher.Lists);
        Assert.Contains(log.Entries, e => e.Message == "Watch of Widget ended without events; resuming");
        Assert.DoesNotContain(log.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task RunAsync_WithTrim_CacheAndEventsHoldOnlyTrimmedObjects()
    {
        await Widget.InstallAsync();
        var (client, ns) = await TestCluster.NamespaceAsync("trim");
        var widgets = new WidgetClient(client, ns);
        await widgets.CreateAsync("listed", size: 8);
        var watcher = Watcher(widgets, ns, new WatcherOptions(), trim: widget =>
        {
            widget.Spec.Size = -1;
            return widget;
        });
        using var stop = new CancellationTokenSource();
        var running = watcher.RunAsync(stop.Token);
        await watcher.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        await widgets.CreateAsync("watched", size: 9);
        await TestCluster.EventuallyAsync(() => seen.Any(e => e.Name == "watched"), "the watched widget");
        await stop.CancelAsync();
        await running;

        Assert.All(seen, e => Assert.Equal(-1, e.Size));
        Assert.All(watcher.Items.Where(w => w.Metadata.NamespaceProperty == ns), w => Assert.Equal(-1, w.Spec.Size));
    }

    private ResourceWatcher<Widget> Watcher(WidgetClient widgets, string ns, WatcherOptions options,
        Func<Widget, Widget>? trim = null) =>
        new(widgets.Api, (type, widget) =>
        {
            if (widget.Metadata.NamespaceProperty == ns)
            {
                seen.Enqueue((type, widget.Metadata.Name, widget.Spec.Size));
            }
        }, NullLogger.Instance, options, trim: trim);
}
