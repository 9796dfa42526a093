using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Prometheus;
using SsoOperator.IdP.Accounts;
using SsoOperator.IdP.Federation;
using SsoOperator.IdP.Hosting;
using SsoOperator.IdP.Keys;
using SsoOperator.IdP.Mfa;
using SsoOperator.IdP.Protocol;
using SsoOperator.IdP.Store;

namespace SsoOperator.IdP;

/// <summary>Builds the IdP's web application; Program and the tests both start it this way.</summary>
public static partial class IdpApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddIdp(builder.Configuration);

        var app = builder.Build();
        if (app.Services.GetRequiredService<IOptions<IdpOptions>>().Value.TrustedProxies.Count > 0)
        {
            // Note: with no known proxy the middleware believes everyone, so it runs only when some are named.
            app.UseForwardedHeaders();
        }
        app.UseHttpMetrics();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapAccountEndpoints();
        app.MapSetupEndpoints();
        app.MapMfaEndpoints();
        app.MapFederationEndpoints();
        app.MapAuthorizationEndpoint();
        app.MapTokenEndpoint();
        app.MapUserInfoEndpoint();
        app.MapEndSessionEndpoint();
        app.MapProbes();
        app.MapMetrics("/metrics");
        return app;
    }

    /// <summary>
    /// Everything that must happen before the first request: the schema (migrated or checked), the signing
    /// keys, and the setup link while there are no users.
    /// </summary>
    public static async Task PrepareAsync(WebApplication app, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<IdpOptions>>().Value;
        await MigrateOrCheckAsync(app.Services, options, ct);
        await app.Services.GetRequiredService<SigningKeyRing>().LoadAsync(ct);

        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SetupLinks>().IssueIfNeededAsync(options.Issuer!, ct);
    }

    private static async Task MigrateOrCheckAsync(IServiceProvider services, IdpOptions options, CancellationToken ct)
    {
        if (!string.Equals(options.Migrations, "check", StringComparison.OrdinalIgnoreCase))
        {
            await services.GetRequiredService<IConfigurationStore>().MigrateAsync(ct);
            return;
        }
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdpDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count > 0)
        {
            throw new InvalidOperationException(
                $"The database lacks {pending.Count} migration(s) ({string.Join(", ", pending)}); " +
                "start once with Idp:Migrations=apply, or let the operator migrate it.");
        }
    }
}
