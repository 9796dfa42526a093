using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Core;
using OpenIddict.EntityFrameworkCore.Models;
using SsoOperator.IdP.Protocol;
using SsoOperator.IdP.Store;
using SsoOperator.Testing;

namespace SsoOperator.Bench;

/// <summary>
/// The token endpoint's client secret check, on one real client row: OpenIddict's manager (a PBKDF2 hash per
/// call) against <see cref="CachingApplicationManager"/> once it has seen the secret succeed.
/// </summary>
// Note: BenchmarkDotNet subclasses benchmark classes at run time, so this one is public and not sealed.
public class ClientSecretBenchmarks
{
    private const string ClientId = "bench-client";
    private const string Secret = "bench-secret-0123456789abcdef";

    private PostgresServer? postgres;
    private ServiceProvider? services;
    private AsyncServiceScope scope;
    private OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication> openIddict = null!;
    private CachingApplicationManager caching = null!;
    private OpenIddictEntityFrameworkCoreApplication application = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        postgres = await PostgresServer.StartAsync();
        var connectionString = await postgres.CreateDatabaseAsync($"bench_{Guid.NewGuid():N}");
        services = BuildServices(connectionString);

        var store = services.GetRequiredService<IConfigurationStore>();
        await store.MigrateAsync(CancellationToken.None);
        await store.UpsertClientAsync(Client(), CancellationToken.None);

        scope = services.CreateAsyncScope();
        // What the IdP's token endpoint gets when it asks for OpenIddict's manager.
        caching = scope.ServiceProvider
            .GetRequiredService<OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>>()
            as CachingApplicationManager ?? throw new InvalidOperationException("the manager swap did not apply");
        // The baseline is OpenIddict's own manager on the same cache, options and store.
        openIddict = ActivatorUtilities
            .CreateInstance<OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>>(
                scope.ServiceProvider);
        application = await caching.FindByClientIdAsync(ClientId)
            ?? throw new InvalidOperationException($"client {ClientId} was not stored");

        // Both must accept the secret, and the caching manager remembers this first success.
        if (!await openIddict.ValidateClientSecretAsync(application, Secret)
            || !await caching.ValidateClientSecretAsync(application, Secret))
        {
            throw new InvalidOperationException("the stored client rejects its own secret");
        }
    }

    [Benchmark(Baseline = true, Description = "OpenIddict manager (PBKDF2 each call)")]
    public ValueTask<bool> OpenIddictManager() => openIddict.ValidateClientSecretAsync(application, Secret);

    [Benchmark(Description = "CachingApplicationManager (after first success)")]
    public ValueTask<bool> CachingManager() => caching.ValidateClientSecretAsync(application, Secret);

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await scope.DisposeAsync();
        if (services is not null)
        {
            await services.DisposeAsync();
        }
        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }
    }

    /// <summary>The IdP's store and OpenIddict core with the manager swap <c>IdpServices</c> makes.</summary>
    private static ServiceProvider BuildServices(string connectionString)
    {
        var collection = new ServiceCollection();
        collection.AddConfigurationStore(connectionString);
        collection.AddMemoryCache();
        collection.AddOpenIddict().AddCore(core => core.ReplaceApplicationManager<
            OpenIddictEntityFrameworkCoreApplication, CachingApplicationManager>());
        return collection.BuildServiceProvider();
    }

    private static ClientDefinition Client() => new(
        ClientId, "Benchmark client", IsConfidential: true, Secret,
        [new Uri("https://bench.example.com/callback")], [], ["openid"], ["authorization_code"],
        RequirePkce: true, ["client_secret_basic"], null, null, new ResourceOwner("Provider", "bench", "bench"));
}
