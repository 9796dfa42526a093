using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Tests;

public sealed class BootstrapTests(IdpHost idp) : IClassFixture<IdpHost>
{
    [Fact]
    public async Task SetupLink_UsedOnce_CreatesSignedInAdminThenExpires()
    {
        var link = new Uri((await File.ReadAllTextAsync(idp.SetupLinkFile)).Trim());
        using var browser = new Browser();

        var form = await browser.GoAsync(link);
        var done = await browser.SubmitAsync(form, new Dictionary<string, string>
        {
            ["username"] = "root-admin", ["email"] = "admin@example.com",
            ["password"] = Scenario.Password, ["confirm"] = Scenario.Password,
        });
        var home = await browser.GoAsync(idp.Issuer);
        var reused = await browser.GoAsync(link);

        Assert.StartsWith(idp.Issuer + "setup?token=", link.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, form.Status);
        Assert.Contains("was created and is signed in", done.Body, StringComparison.Ordinal);
        Assert.Contains("Signed in as root-admin", home.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, reused.Status);
        await using var scope = idp.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>();
        var admin = await users.FindByNameAsync("root-admin");
        Assert.Equal(["admins"], await users.GetRolesAsync(admin!));

        // Once a user exists, a restart issues no new link.
        await idp.RestartAsync();
        await using var after = idp.Services.CreateAsyncScope();
        var db = after.ServiceProvider.GetRequiredService<IdpDbContext>();
        Assert.Equal(1, await db.SetupTokens.CountAsync());
    }

    [Fact]
    public async Task SetupLink_WrongToken_Gone()
    {
        using var browser = new Browser();

        var page = await browser.GoAsync(new Uri(idp.Issuer, "setup?token=0123456789abcdef"));

        Assert.Equal(HttpStatusCode.Gone, page.Status);
        Assert.Contains("expired or was already used", page.Body, StringComparison.Ordinal);
    }
}
