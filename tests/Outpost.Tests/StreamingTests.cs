using System.Net;
using System.Net.WebSockets;
using System.Text;
using SsoOperator.Outpost.Tests.Infrastructure;

namespace SsoOperator.Outpost.Tests;

/// <summary>WebSockets and large bodies through the proxy.</summary>
[Collection(GateCollection.Name)]
public sealed class StreamingTests(GateFixture fixture)
{
    private const long LargeBody = 64L * 1024 * 1024;

    [Fact]
    public async Task WebSocket_SignedIn_PassesBothWaysWithIdentity()
    {
        using var browser = fixture.Browser("carol");
        await ProxyGateTests.SignInAsync(browser, "app1.test");
        using var socket = new ClientWebSocket();

        await socket.ConnectAsync(new Uri($"ws://app1.test:{Browser.AppPort}/ws"), browser.Http,
            CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, true,
            CancellationToken.None);
        var buffer = new byte[256];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);

        Assert.Equal("carol:hello", Encoding.UTF8.GetString(buffer, 0, received.Count));
    }

    [Fact]
    public async Task WebSocket_NoSession_Refused401()
    {
        using var browser = fixture.Browser();
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(
            new Uri($"ws://app1.test:{Browser.AppPort}/ws"), browser.Http, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
    }

    [Fact]
    public async Task LargeUpload_StreamsToUpstream()
    {
        using var browser = fixture.Browser("carol");
        await ProxyGateTests.SignInAsync(browser, "app1.test");
        using var content = new StreamContent(new PatternStream(LargeBody), 65536);

        using var response = await browser.Http.PostAsync(Browser.App("app1.test", "/upload"), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(LargeBody.ToString(System.Globalization.CultureInfo.InvariantCulture),
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task LargeDownload_StreamsToClient()
    {
        using var browser = fixture.Browser("carol");
        await ProxyGateTests.SignInAsync(browser, "app1.test");

        using var response = await browser.Http.GetAsync(Browser.App("app1.test", $"/download?bytes={LargeBody}"),
            HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[65536];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        Assert.Equal(LargeBody, total);
    }

    /// <summary>A read-only stream of a given length that is generated, not held in memory.</summary>
    private sealed class PatternStream(long length) : Stream
    {
        private long position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var size = (int)Math.Min(count, length - position);
            buffer.AsSpan(offset, size).Fill((byte)'x');
            position += size;
            return size;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
