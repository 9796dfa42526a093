using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using OpenIddict.Server;

namespace SsoOperator.IdP.Keys;

/// <summary>
/// Re-reads the key ring every check interval, so that a running IdP introduces a key when one is due,
/// starts signing with a published key once it activates, and learns keys another replica introduced. When
/// the keys changed it signals OpenIddict's options, which are then rebuilt with the new keys.
/// </summary>
public sealed partial class SigningKeyRefresher(
    SigningKeyRing ring, IOptions<IdpOptions> options, ILogger<SigningKeyRefresher> logger)
    : BackgroundService, IOptionsChangeTokenSource<OpenIddictServerOptions>
{
    private CancellationTokenSource changes = new();

    public string? Name => Options.DefaultName;

    public IChangeToken GetChangeToken() => new CancellationChangeToken(changes.Token);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Keys.CheckInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await ring.LoadAsync(stoppingToken))
                {
                    Signal();
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The keys in use stay valid; the next tick tries again.
                LogRefreshFailed(logger, e);
            }
        }
    }

    public override void Dispose()
    {
        changes.Dispose();
        base.Dispose();
    }

    private void Signal()
    {
        var previous = Interlocked.Exchange(ref changes, new CancellationTokenSource());
        previous.Cancel();
        previous.Dispose();
    }

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Could not refresh the signing keys")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}

public static class SigningKeyServices
{
    /// <summary>The key ring, and its refresher as a hosted service and as OpenIddict's change source.</summary>
    public static IServiceCollection AddSigningKeys(this IServiceCollection services)
    {
        services.AddSingleton<SigningKeyRing>();
        services.AddSingleton<SigningKeyRefresher>();
        services.AddHostedService(provider => provider.GetRequiredService<SigningKeyRefresher>());
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictServerOptions>>(
            provider => provider.GetRequiredService<SigningKeyRefresher>());
        return services;
    }
}
