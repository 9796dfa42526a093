using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SsoOperator.IdP;
using SsoOperator.IdP.Store;

namespace SsoOperator.Operator.Tests.Support;

/// <summary>The real IdP on loopback over the operator's database, and users to sign in with.</summary>
public static class LocalIdp
{
    public const string Password = "Correct-Horse-9";

    public static async Task<WebApplication> StartAsync(OperatorEnvironment env, Uri issuer)
    {
        var app = IdpApp.Build(
        [
            "--urls", issuer.ToString().TrimEnd('/'), $"--ConnectionStrings:Idp={env.ConnectionString}",
            $"--Idp:Issuer={issuer}", "--Idp:PasswordHashIterations=1000", "--Logging:LogLevel:Default=Warning",
        ]);
        await IdpApp.PrepareAsync(app, CancellationToken.None);
        await app.StartAsync();
        return app;
    }

    public static async Task CreateUserAsync(WebApplication idp, string name, string group)
    {
        await using var scope = idp.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdpGroup>>();
        var user = new IdpUser { UserName = name, Email = $"{name}@example.com", EmailConfirmed = true };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        Assert.True((await roles.CreateAsync(new IdpGroup(group))).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, group)).Succeeded);
    }
}
