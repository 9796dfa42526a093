using Microsoft.Playwright;

namespace SsoOperator.Testing;

/// <summary>
/// Debian's Chromium, headless, driven by Microsoft.Playwright. Playwright's own browser downloads are never used:
/// the executable path points at the distribution's package (`apt-get install chromium`, or `make setup`).
/// </summary>
public sealed class HeadlessBrowser : IAsyncDisposable
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private readonly IPlaywright playwright;

    private HeadlessBrowser(IPlaywright playwright, IBrowser browser)
    {
        this.playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<HeadlessBrowser> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} was not found. " +
                "Install Debian's browser with `apt-get install chromium` (or `make setup`).");
        }
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Root in CI has no user namespace sandbox; background networking would reach outside loopback.
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        });
        return new HeadlessBrowser(playwright, browser);
    }

    /// <summary>A fresh context (its own cookies), as a new device signing in would have.</summary>
    public Task<IBrowserContext> NewContextAsync() =>
        Browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
    }
}
