using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using SsoOperator.Testing;

namespace SsoOperator.IdP.Store.Tests;

public sealed class ConfigurationStoreTests(StoreDatabase database) : IClassFixture<StoreDatabase>
{
    private static readonly ResourceOwner Owner = new("Provider", "apps", "grafana");
    private static readonly ResourceOwner Other = new("Provider", "other", "grafana");

    private IConfigurationStore Store => database.Store;

    [Fact]
    public async Task UpsertClient_NewThenSame_CreatedThenUnchangedWithoutWrites()
    {
        var client = Client("same-" + Guid.NewGuid().ToString("N"));

        var first = await Store.UpsertClientAsync(client, default);
        var before = await RowVersionsAsync(client.ClientId);
        var second = await Store.UpsertClientAsync(client with { }, default);
        var after = await RowVersionsAsync(client.ClientId);

        Assert.Equal(UpsertOutcome.Created, first.Outcome);
        Assert.Equal(UpsertOutcome.Unchanged, second.Outcome);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task UpsertClient_RedirectUriAndLifetimeChanged_UpdatedNamesThoseFields()
    {
        var client = Client("drift-" + Guid.NewGuid().ToString("N"));
        await Store.UpsertClientAsync(client, default);

        var result = await Store.UpsertClientAsync(client with
        {
            RedirectUris = [new Uri("https://grafana.example.com/other")],
            AccessTokenLifetime = TimeSpan.FromMinutes(5),
        }, default);

        Assert.Equal(UpsertOutcome.Updated, result.Outcome);
        Assert.Equal(["RedirectUris", "AccessTokenLifetime"], result.Changed);
        var stored = await DescriptorAsync(client.ClientId);
        Assert.Equal([new Uri("https://grafana.example.com/other")], stored.RedirectUris);
        Assert.Equal("00:05:00", stored.Settings[OpenIddictConstants.Settings.TokenLifetimes.AccessToken]);
    }

    [Fact]
    public async Task UpsertClient_SecretRotated_UpdatedAndOnlyNewSecretValidates()
    {
        var client = Client("rotate-" + Guid.NewGuid().ToString("N"));
        await Store.UpsertClientAsync(client, default);

        var result = await Store.UpsertClientAsync(client with { ClientSecret = "rotated-secret-2" }, default);

        Assert.Equal(UpsertOutcome.Updated, result.Outcome);
        Assert.Equal(["ClientSecret"], result.Changed);
        Assert.True(await ValidateSecretAsync(client.ClientId, "rotated-secret-2"));
        Assert.False(await ValidateSecretAsync(client.ClientId, client.ClientSecret!));
    }

    [Fact]
    public async Task UpsertClient_SecretHashChangedBehindOurBack_UpdatedRestoresSecret()
    {
        var client = Client("tamper-" + Guid.NewGuid().ToString("N"));
        await Store.UpsertClientAsync(client, default);
        await database.WithDbAsync(async (db, _) => await db.Database.ExecuteSqlAsync(
            $"UPDATE \"OpenIddictApplications\" SET \"ClientSecret\" = 'x' WHERE \"ClientId\" = {client.ClientId}"));

        var result = await Store.UpsertClientAsync(client, default);

        Assert.Equal(["ClientSecret"], result.Changed);
        Assert.True(await ValidateSecretAsync(client.ClientId, client.ClientSecret!));
    }

    [Fact]
    public async Task UpsertClient_HeldByAnotherOwner_ConflictNamesHolderAndKeepsRow()
    {
        var client = Client("held-" + Guid.NewGuid().ToString("N"));
        await Store.UpsertClientAsync(client, default);

        var result = await Store.UpsertClientAsync(client with { Owner = Other, DisplayName = "Hijack" }, default);

        Assert.Equal(UpsertOutcome.Conflict, result.Outcome);
        Assert.Equal(Owner, result.HeldBy);
        Assert.Equal("Grafana", (await DescriptorAsync(client.ClientId)).DisplayName);
    }

    [Fact]
    public async Task DeleteClient_ByOtherOwnerThenByOwner_FalseThenTrueAndGone()
    {
        var client = Client("delete-" + Guid.NewGuid().ToString("N"));
        await Store.UpsertClientAsync(client, default);

        var byOther = await Store.DeleteClientAsync(client.ClientId, Other, default);
        var byOwner = await Store.DeleteClientAsync(client.ClientId, Owner, default);
        var again = await Store.DeleteClientAsync(client.ClientId, Owner, default);

        Assert.False(byOther);
        Assert.True(byOwner);
        Assert.False(again);
        Assert.Null(await FindAsync(client.ClientId));
    }

    [Fact]
    public async Task UpsertClient_PublicClientEvenWithPkceOff_RequiresPkce()
    {
        var client = Client("public-" + Guid.NewGuid().ToString("N")) with
        {
            IsConfidential = false, ClientSecret = null, RequirePkce = false,
        };

        await Store.UpsertClientAsync(client, default);

        var stored = await DescriptorAsync(client.ClientId);
        Assert.Equal(OpenIddictConstants.ClientTypes.Public, stored.ClientType);
        Assert.Contains(OpenIddictConstants.Requirements.Features.ProofKeyForCodeExchange, stored.Requirements);
        Assert.Contains("gt:authorization_code", stored.Permissions);
        Assert.Contains("scp:groups", stored.Permissions);
        Assert.DoesNotContain(OpenIddictConstants.Permissions.Endpoints.Introspection, stored.Permissions);
    }

    [Fact]
    public async Task UpsertApplication_CreateSameChangeConflict_ReportsEachOutcome()
    {
        var slug = "app-" + Guid.NewGuid().ToString("N");
        var app = new ApplicationDefinition(slug, "Grafana", "grafana", new Uri("https://grafana.example.com"),
            null, ["admins"], [], RequireMfa: false, Owner);

        var created = await Store.UpsertApplicationAsync(app, default);
        var unchanged = await Store.UpsertApplicationAsync(app with { Groups = ["admins", "admins"] }, default);
        var updated = await Store.UpsertApplicationAsync(app with { Users = ["ada"], RequireMfa = true }, default);
        var conflict = await Store.UpsertApplicationAsync(app with { Owner = Other }, default);

        Assert.Equal(UpsertOutcome.Created, created.Outcome);
        Assert.Equal(UpsertOutcome.Unchanged, unchanged.Outcome);
        Assert.Equal(["Users", "RequireMfa"], updated.Changed);
        Assert.Equal(Owner, conflict.HeldBy);
        var stored = await database.WithDbAsync((db, _) => db.Applications.SingleAsync(a => a.Slug == slug));
        Assert.Equal(["ada"], stored.Users);
        Assert.True(stored.RequireMfa);
    }

    [Fact]
    public async Task DeleteApplication_ByOwner_RemovesRow()
    {
        var slug = "gone-" + Guid.NewGuid().ToString("N");
        await Store.UpsertApplicationAsync(new ApplicationDefinition(slug, "Gone", "gone", null, null, [], [],
            false, Owner), default);

        Assert.False(await Store.DeleteApplicationAsync(slug, Other, default));
        Assert.True(await Store.DeleteApplicationAsync(slug, Owner, default));
        Assert.False(await database.WithDbAsync((db, _) => db.Applications.AnyAsync(a => a.Slug == slug)));
    }

    [Fact]
    public async Task MigrateAsync_ThreeAtOnceOnFreshDatabase_AllSucceed()
    {
        var postgres = await SharedEnvironment.PostgresAsync();
        var connectionString = await postgres.CreateDatabaseAsync($"migrate_{Guid.NewGuid():N}");
        var providers = Enumerable.Range(0, 3)
            .Select(_ => new ServiceCollection().AddConfigurationStore(connectionString).BuildServiceProvider())
            .ToList();

        await Task.WhenAll(providers.Select(p => p.GetRequiredService<IConfigurationStore>().MigrateAsync(default)));

        await using var scope = providers[0].CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdpDbContext>();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        foreach (var provider in providers)
        {
            await provider.DisposeAsync();
        }
    }

    [Fact]
    public async Task UpsertClient_DatabaseUnreachable_ThrowsStoreUnavailable()
    {
        var port = LocalProcess.FreePort();
        await using var services = new ServiceCollection()
            .AddConfigurationStore($"Host=127.0.0.1;Port={port};Username=x;Password=x;Timeout=2")
            .BuildServiceProvider();
        var store = services.GetRequiredService<IConfigurationStore>();

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(
            () => store.UpsertClientAsync(Client("unreachable"), default));

        Assert.DoesNotContain("s3cret", error.ToString(), StringComparison.Ordinal);
    }

    private static ClientDefinition Client(string clientId) => new(
        clientId, "Grafana", IsConfidential: true, ClientSecret: "s3cret-value-1",
        RedirectUris: [new Uri("https://grafana.example.com/login/generic_oauth")],
        PostLogoutRedirectUris: [new Uri("https://grafana.example.com/")],
        Scopes: ["openid", "profile", "email", "groups", "offline_access"],
        GrantTypes: ["authorization_code", "refresh_token"], RequirePkce: true,
        TokenEndpointAuthMethods: ["client_secret_basic", "client_secret_post"],
        AccessTokenLifetime: TimeSpan.FromMinutes(10), RefreshTokenLifetime: TimeSpan.FromDays(30), Owner);

    // xmin is PostgreSQL's id of the transaction that last wrote a row: unchanged xmin means no write.
    private Task<(long, long)> RowVersionsAsync(string clientId) => database.WithDbAsync(async (db, _) =>
    {
        var app = await db.Database.SqlQuery<long>(
            $"SELECT xmin::text::bigint AS \"Value\" FROM \"OpenIddictApplications\" WHERE \"ClientId\" = {clientId}")
            .SingleAsync();
        var registration = await db.Database.SqlQuery<long>(
            $"SELECT xmin::text::bigint AS \"Value\" FROM sso_client_registrations WHERE \"ClientId\" = {clientId}")
            .SingleAsync();
        return (app, registration);
    });

    private Task<object?> FindAsync(string clientId) => database.WithDbAsync(async (_, services) =>
        await services.GetRequiredService<IOpenIddictApplicationManager>().FindByClientIdAsync(clientId));

    private Task<OpenIddictApplicationDescriptor> DescriptorAsync(string clientId) =>
        database.WithDbAsync(async (_, services) =>
        {
            var manager = services.GetRequiredService<IOpenIddictApplicationManager>();
            var application = await manager.FindByClientIdAsync(clientId) ?? throw new InvalidOperationException();
            var descriptor = new OpenIddictApplicationDescriptor();
            await manager.PopulateAsync(descriptor, application);
            return descriptor;
        });

    private Task<bool> ValidateSecretAsync(string clientId, string secret) =>
        database.WithDbAsync(async (_, services) =>
        {
            var manager = services.GetRequiredService<IOpenIddictApplicationManager>();
            var application = await manager.FindByClientIdAsync(clientId) ?? throw new InvalidOperationException();
            return await manager.ValidateClientSecretAsync(application, secret);
        });
}
