using System.Net;
using System.Text;

namespace SsoOperator.Testing.Tests;

public sealed class HeadlessBrowserTests
{
    [Fact]
    public async Task Chromium_SubmitsAFormOnLoopback_ServerReceivesTheTypedValue()
    {
        var port = LocalProcess.FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var received = new TaskCompletionSource<string>();
        var serving = ServeAsync(listener, received);

        await using var browser = await HeadlessBrowser.LaunchAsync();
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"http://127.0.0.1:{port}/");
        await page.FillAsync("#name", "alice");
        await page.ClickAsync("button[type=submit]");

        Assert.Equal("name=alice", await received.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        await page.WaitForSelectorAsync("text=Thanks, alice");
        listener.Stop();
        await serving;
    }

    private static async Task ServeAsync(HttpListener listener, TaskCompletionSource<string> received)
    {
        while (!received.Task.IsCompleted)
        {
            var context = await listener.GetContextAsync();
            string html;
            if (context.Request.HttpMethod == "POST")
            {
                using var reader = new StreamReader(context.Request.InputStream);
                var body = await reader.ReadToEndAsync();
                received.TrySetResult(body);
                html = $"<p>Thanks, {WebUtility.HtmlEncode(body.Split('=')[1])}</p>";
            }
            else
            {
                html = "<form method=post><input id=name name=name><button type=submit>Go</button></form>";
            }
            var bytes = Encoding.UTF8.GetBytes($"<!doctype html><html><body>{html}</body></html>");
            context.Response.ContentType = "text/html";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
