using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SsoOperator.IdP.Store;
using SsoOperator.Testing;

namespace SsoOperator.IdP.Tests;

/// <summary>
/// The IdP on a real Kestrel port on 127.0.0.1, on a fresh database. <see cref="RestartAsync"/> stops it and
/// starts a new process-equivalent (new DI container) on the same database and port.
/// </summary>
public class IdpHost : IAsyncLifetime
{
    private readonly List<string> extraArguments = [];
    private WebApplication? app;

    public IdpHost()
    {
    }

    /// <summary>For fixtures that start the IdP with extra settings.</summary>
    protected IdpHost(string[] arguments) => extraArguments.AddRange(arguments);

    public Uri Issuer { get; private set; } = null!;

    public string ConnectionString { get; private set; } = "";

    public string SetupLinkFile { get; } = Path.Combine(Path.GetTempPath(), $"sso-setup-{Guid.NewGuid():N}.txt");

    public IServiceProvider Services => app?.Services ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        var postgres = await SharedEnvironment.PostgresAsync();
        ConnectionString = await postgres.CreateDatabaseAsync($"idp_{Guid.NewGuid():N}");
        Issuer = new Uri($"http://127.0.0.1:{LocalProcess.FreePort()}/");
        await StartAsync();
    }

    public async Task StartAsync(params string[] arguments)
    {
        string[] args =
        [
            "--urls", Issuer.ToString().TrimEnd('/'),
            $"--ConnectionStrings:Idp={ConnectionString}",
            $"--Idp:Issuer={Issuer}",
            $"--Idp:SetupLinkFile={SetupLinkFile}",
            "--Idp:PasswordHashIterations=1000",
            "--Idp:Keys:PublishAhead=00:00:00",
            "--Logging:LogLevel:Default=Warning",
            .. extraArguments,
            .. arguments,
        ];
        app = IdpApp.Build(args);
        await IdpApp.PrepareAsync(app, CancellationToken.None);
        await app.StartAsync();
    }

    public async Task RestartAsync(params string[] arguments)
    {
        await StopAsync();
        await StartAsync(arguments);
    }

    public async Task StopAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
            app = null;
        }
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        File.Delete(SetupLinkFile);
    }

    public IConfigurationStore Store => Services.GetRequiredService<IConfigurationStore>();

    /// <summary>Creates a user with a confirmed email in the given groups.</summary>
    public async Task<IdpUser> CreateUserAsync(string userName, string password, params string[] groups)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdpGroup>>();
        var user = new IdpUser
        {
            UserName = userName, Email = $"{userName}@example.com", EmailConfirmed = true,
            DisplayName = $"{userName} Example",
        };
        Check(await users.CreateAsync(user, password));
        foreach (var group in groups)
        {
            if (!await roles.RoleExistsAsync(group))
            {
                Check(await roles.CreateAsync(new IdpGroup(group)));
            }
            Check(await users.AddToRoleAsync(user, group));
        }
        return user;
    }

    public async Task SetDisabledAsync(string userName, bool disabled)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>();
        var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException(userName);
        user.IsDisabled = disabled;
        Check(await users.UpdateAsync(user));
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
