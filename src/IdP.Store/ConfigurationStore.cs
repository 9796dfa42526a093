using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenIddict.Abstractions;

namespace SsoOperator.IdP.Store;

/// <summary>
/// The <see cref="IConfigurationStore"/> on PostgreSQL. A singleton: each call runs in its own DI scope
/// (its own DbContext), so callers may share one instance across threads.
/// </summary>
public sealed class ConfigurationStore(IServiceScopeFactory scopes) : IConfigurationStore
{
    // Note: any constant works as long as every process that migrates uses the same one.
    private const long MigrationLockKey = 0x5350_4F49_6450;

    public Task MigrateAsync(CancellationToken ct) => RunAsync(async db =>
    {
        // EF Core takes a lock of its own too, but creating the history table is not covered by it; a
        // session-level advisory lock serialises whole migrations between the IdP and the operator.
        var connectionString = db.Database.GetConnectionString();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey})", connection))
        {
            await take.ExecuteNonQueryAsync(ct);
        }
        try
        {
            await db.Database.MigrateAsync(ct);
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLockKey})", connection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
        return true;
    });

    public Task<UpsertResult> UpsertClientAsync(ClientDefinition client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        return RunAsync((db, services) => Clients(db, services).UpsertAsync(client, ct));
    }

    public Task<bool> DeleteClientAsync(string clientId, ResourceOwner owner, CancellationToken ct) =>
        RunAsync((db, services) => Clients(db, services).DeleteAsync(clientId, owner, ct));

    public Task<UpsertResult> UpsertApplicationAsync(ApplicationDefinition app, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(app);
        return RunAsync((db, _) => new ApplicationWriter(db).UpsertAsync(app, ct));
    }

    public Task<bool> DeleteApplicationAsync(string slug, ResourceOwner owner, CancellationToken ct) =>
        RunAsync((db, _) => new ApplicationWriter(db).DeleteAsync(slug, owner, ct));

    public Task<UpsertResult> UpsertSourceAsync(SourceDefinition source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        return RunAsync((db, _) => new SourceWriter(db).UpsertAsync(source, ct));
    }

    public Task<bool> DeleteSourceAsync(string slug, ResourceOwner owner, CancellationToken ct) =>
        RunAsync((db, _) => new SourceWriter(db).DeleteAsync(slug, owner, ct));

    public Task<UpsertResult> UpsertGroupAsync(GroupDefinition group, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(group);
        return RunAsync((db, _) => new GroupWriter(db).UpsertAsync(group, ct));
    }

    public Task<bool> DeleteGroupAsync(string name, ResourceOwner owner, CancellationToken ct) =>
        RunAsync((db, _) => new GroupWriter(db).DeleteAsync(name, owner, ct));

    private static ClientWriter Clients(IdpDbContext db, IServiceProvider services) =>
        new(db, services.GetRequiredService<IOpenIddictApplicationManager>());

    private Task<T> RunAsync<T>(Func<IdpDbContext, Task<T>> action) => RunAsync((db, _) => action(db));

    private async Task<T> RunAsync<T>(Func<IdpDbContext, IServiceProvider, Task<T>> action)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdpDbContext>();
        try
        {
            return await action(db, scope.ServiceProvider);
        }
        catch (Exception e) when (e is not OperationCanceledException && StoreUnavailableException.IsUnavailable(e))
        {
            throw new StoreUnavailableException("the IdP database cannot be reached", e);
        }
    }
}
