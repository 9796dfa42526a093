using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SsoOperator.Testing;

namespace SsoOperator.Outpost.Tests.Infrastructure;

/// <summary>
/// The app behind the outpost: answers every request with the headers it received (as JSON), counts
/// uploaded bytes at /upload, streams /download?bytes=N, and echoes WebSocket messages at /ws.
/// </summary>
public sealed class EchoUpstream : IAsyncDisposable
{
    private readonly WebApplication app;

    private EchoUpstream(WebApplication app, string url)
    {
        this.app = app;
        Url = url;
    }

    public string Url { get; }

    public static async Task<EchoUpstream> StartAsync()
    {
        var url = $"http://127.0.0.1:{LocalProcess.FreePort()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.UseWebSockets();
        app.Run(HandleAsync);
        await app.StartAsync();
        return new EchoUpstream(app, url);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static async Task HandleAsync(HttpContext context)
    {
        switch (context.Request.Path.Value)
        {
            case "/ws" when context.WebSockets.IsWebSocketRequest:
                await EchoWebSocketAsync(context);
                return;
            case "/upload":
                await CountUploadAsync(context);
                return;
            case "/download":
                await StreamDownloadAsync(context);
                return;
        }
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(),
            StringComparer.OrdinalIgnoreCase);
        await context.Response.WriteAsJsonAsync(new EchoReply(context.Request.Method, context.Request.Path.Value!,
            headers));
    }

    private static async Task EchoWebSocketAsync(HttpContext context)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[4096];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                return;
            }
            var user = context.Request.Headers["X-Forwarded-User"].ToString();
            var reply = System.Text.Encoding.UTF8.GetBytes($"{user}:" +
                System.Text.Encoding.UTF8.GetString(buffer, 0, received.Count));
            await socket.SendAsync(reply, WebSocketMessageType.Text, true, CancellationToken.None);
        }
    }

    private static async Task CountUploadAsync(HttpContext context)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }
        await context.Response.WriteAsync(total.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task StreamDownloadAsync(HttpContext context)
    {
        var remaining = long.Parse(context.Request.Query["bytes"].ToString(),
            System.Globalization.CultureInfo.InvariantCulture);
        var chunk = new byte[65536];
        while (remaining > 0)
        {
            var size = (int)Math.Min(chunk.Length, remaining);
            await context.Response.Body.WriteAsync(chunk.AsMemory(0, size));
            remaining -= size;
        }
    }
}

/// <summary>What the echo upstream saw.</summary>
public sealed record EchoReply(string Method, string Path, Dictionary<string, string> Headers)
{
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
