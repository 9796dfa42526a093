using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SsoOperator.IdP.Accounts;
using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Tests;

/// <summary>`remove-from-group`: the administrator's way to take back a membership Git never declared.</summary>
public sealed class RemoveFromGroupCommandTests(IdpHost idp) : IClassFixture<IdpHost>
{
    [Fact]
    public async Task Run_AssignedMember_RemovedFromClaimsAndExitsZero()
    {
        var group = Scenario.Unique("family");
        var user = await idp.CreateUserAsync(Scenario.Unique("sam"), Scenario.Password, group, "other");
        using var output = new StringWriter();

        var exit = await RunAsync(output, "--user", user.UserName!, "--group", group);

        Assert.Equal(0, exit);
        Assert.Contains($"Removed {user.UserName} from {group}", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(["other"], (await ClaimsAsync(user.UserName!)).Groups);
    }

    [Fact]
    public async Task Run_AlsoDeclaredInAGroupResource_RemovesTheAssignmentAndPointsAtGit()
    {
        var group = Scenario.Unique("admins");
        var user = await idp.CreateUserAsync(Scenario.Unique("alex"), Scenario.Password, group);
        var owner = new ResourceOwner("Group", "sso", group);
        await idp.Store.UpsertGroupAsync(new GroupDefinition(group, [user.Email!], owner), default);
        using var output = new StringWriter();

        var exit = await RunAsync(output, "--user", user.UserName!, "--group", group);

        Assert.Equal(0, exit);
        Assert.Contains($"still a member through {owner} (spec.members)", output.ToString(), StringComparison.Ordinal);
        // The declared membership is Git's: it stays until the Group's members change.
        Assert.Equal([group], (await ClaimsAsync(user.UserName!)).Groups);
    }

    [Theory]
    [InlineData("not-assigned", 1, "nothing removed")]
    [InlineData("no-such-user", 1, "No user named")]
    [InlineData("usage", 2, "usage:")]
    public async Task Run_NothingToRemoveOrBadUsage_Fails(string scenario, int expected, string message)
    {
        var user = await idp.CreateUserAsync(Scenario.Unique("robin"), Scenario.Password, "kept");
        using var output = new StringWriter();
        string[] args = scenario switch
        {
            "not-assigned" => ["--user", user.UserName!, "--group", "family"],
            "no-such-user" => ["--user", "nobody-here", "--group", "kept"],
            _ => ["--user", user.UserName!],
        };

        var exit = await RunAsync(output, args);

        Assert.Equal(expected, exit);
        Assert.Contains(message, output.ToString(), StringComparison.Ordinal);
        Assert.Equal(["kept"], (await ClaimsAsync(user.UserName!)).Groups);
    }

    private Task<int> RunAsync(TextWriter output, params string[] args) => RemoveFromGroupCommand.RunAsync(
        [RemoveFromGroupCommand.Verb, .. args, $"--ConnectionStrings:Idp={idp.ConnectionString}",
            $"--Idp:Issuer={idp.Issuer}", "--Logging:LogLevel:Default=Warning"], output, default);

    private async Task<UserClaims> ClaimsAsync(string userName)
    {
        await using var scope = idp.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>();
        var db = scope.ServiceProvider.GetRequiredService<IdpDbContext>();
        return await UserClaims.LoadAsync(users, db, (await users.FindByNameAsync(userName))!);
    }
}
