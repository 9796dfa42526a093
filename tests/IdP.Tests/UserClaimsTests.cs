using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SsoOperator.IdP.Accounts;
using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Tests;

/// <summary>
/// Groups come from assignments (AspNetUserRoles) and from Group resources' members: a user name, or an email
/// address that the user has confirmed.
/// </summary>
public sealed class UserClaimsTests(IdpHost idp) : IClassFixture<IdpHost>
{
    [Fact]
    public async Task LoadAsync_DeclaredMembersByUserNameAndConfirmedEmail_JoinAssignedGroups()
    {
        var user = await idp.CreateUserAsync(Scenario.Unique("gina"), Scenario.Password, "assigned");
        var byName = await GroupAsync(user.UserName!, "someone-else");
        // Group resources may write an address in any case; the writer lower-cases it, the match follows.
        var byEmail = await GroupAsync(user.Email!.ToUpperInvariant());
        var neither = await GroupAsync("nobody@example.com", "nobody");

        var claims = await LoadAsync(user.UserName!);

        Assert.Equal(new[] { "assigned", byEmail, byName }.Order(StringComparer.Ordinal), claims.Groups);
        Assert.DoesNotContain(neither, claims.Groups);
    }

    [Fact]
    public async Task LoadAsync_UnconfirmedEmail_MatchesNoEmailMember()
    {
        var user = await idp.CreateUserAsync(Scenario.Unique("hal"), Scenario.Password);
        await SetEmailConfirmedAsync(user.UserName!, confirmed: false);
        var byEmail = await GroupAsync(user.Email!);
        var byName = await GroupAsync(user.UserName!);

        var claims = await LoadAsync(user.UserName!);

        Assert.Equal([byName], claims.Groups);
        Assert.DoesNotContain(byEmail, claims.Groups);
    }

    [Fact]
    public async Task IdToken_GroupsClaim_CarriesDeclaredMembership()
    {
        var user = await idp.CreateUserAsync(Scenario.Unique("ivy"), Scenario.Password);
        var declared = await GroupAsync(user.Email!);
        var client = await Scenario.ClientAsync(idp, group: declared);
        using var browser = new Browser();

        var code = await Scenario.CodeAsync(browser, client, user.UserName!);
        var tokens = await client.RedeemAsync(code);
        var id = Scenario.Payload(await Scenario.VerifyAsync(idp, tokens["id_token"]!, client.ClientId));

        Assert.Equal($"[\"{declared}\"]", id.GetProperty("groups").GetRawText());
    }

    private async Task<string> GroupAsync(params string[] members)
    {
        var name = Scenario.Unique("grp");
        var result = await idp.Store.UpsertGroupAsync(new GroupDefinition(name, members,
            new ResourceOwner("Group", "tests", name)), default);
        Assert.Equal(UpsertOutcome.Created, result.Outcome);
        return name;
    }

    private async Task<UserClaims> LoadAsync(string userName)
    {
        await using var scope = idp.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>();
        var db = scope.ServiceProvider.GetRequiredService<IdpDbContext>();
        return await UserClaims.LoadAsync(users, db, (await users.FindByNameAsync(userName))!);
    }

    private async Task SetEmailConfirmedAsync(string userName, bool confirmed)
    {
        await using var scope = idp.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>();
        var user = (await users.FindByNameAsync(userName))!;
        user.EmailConfirmed = confirmed;
        Assert.True((await users.UpdateAsync(user)).Succeeded);
    }
}
