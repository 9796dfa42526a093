using Microsoft.Extensions.DependencyInjection;
using SsoOperator.Testing;

namespace SsoOperator.IdP.Store.Tests;

/// <summary>A fresh, migrated database and a configuration store on it, for one test class.</summary>
public sealed class StoreDatabase : IAsyncLifetime
{
    private ServiceProvider? services;

    public string ConnectionString { get; private set; } = "";

    public IConfigurationStore Store => Services.GetRequiredService<IConfigurationStore>();

    public IServiceProvider Services => services ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        var postgres = await SharedEnvironment.PostgresAsync();
        ConnectionString = await postgres.CreateDatabaseAsync($"store_{Guid.NewGuid():N}");
        services = new ServiceCollection().AddLogging().AddConfigurationStore(ConnectionString).BuildServiceProvider();
        await Store.MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (services is not null)
        {
            await services.DisposeAsync();
        }
    }

    /// <summary>Runs <paramref name="action"/> on a DbContext of its own.</summary>
    public async Task<T> WithDbAsync<T>(Func<IdpDbContext, IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<IdpDbContext>(), scope.ServiceProvider);
    }
}
