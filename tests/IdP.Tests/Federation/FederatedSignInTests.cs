using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Tests.Federation;

/// <summary>
/// Federated login end to end over HTTP: a downstream client, our sign-in page, oidc-provider as the upstream
/// issuer, and back to the client with a code; users, links and groups asserted in the database.
/// </summary>
public sealed class FederatedSignInTests(IdpHost idp, Upstream upstream)
    : IClassFixture<IdpHost>, IClassFixture<Upstream>
{
    [Fact]
    public async Task NewUser_CreatedWithUserNameEmailAndGroups_DownstreamIdTokenCarriesThem()
    {
        var slug = await FederationScenario.SourceAsync(idp, upstream, groups: ["staff", "newcomers"]);
        var person = await FederationScenario.PersonAsync(upstream);
        await idp.Store.UpsertGroupAsync(new GroupDefinition(Scenario.Unique("declared"), [person.Email!],
            new ResourceOwner("Group", "tests", Scenario.Unique("g"))), default);
        var client = await Scenario.ClientAsync(idp);
        using var browser = new Browser();

        var done = await FederationScenario.SignInAsync(browser, upstream, client, slug, person);
        Assert.True(client.IsRedirect(done.Url), $"ended at {done.Url} ({done.Status}): {done.Body}");
        var tokens = await client.RedeemAsync(done.Query("code")!);
        var id = Scenario.Payload(await Scenario.VerifyAsync(idp, tokens["id_token"]!, client.ClientId));
        var linked = await FederationScenario.LinkedAsync(idp, upstream, person.Sub);

        Assert.NotNull(linked);
        Assert.Equal(person.Email, linked.User.UserName);
        Assert.Equal(person.Email, linked.User.Email);
        Assert.True(linked.User.EmailConfirmed);
        Assert.Equal(person.Name, linked.User.DisplayName);
        Assert.Equal(["newcomers", "staff"], linked.Groups.Order(StringComparer.Ordinal));
        Assert.Equal(linked.User.Id, id.GetProperty("sub").GetString());
        Assert.Equal(person.Email, id.GetProperty("preferred_username").GetString());
        Assert.Equal(person.Email, id.GetProperty("email").GetString());
        Assert.True(id.GetProperty("email_verified").GetBoolean());
        var groups = id.GetProperty("groups").EnumerateArray().Select(g => g.GetString()).ToList();
        Assert.Contains("staff", groups);
        Assert.Contains("newcomers", groups);
        Assert.Single(groups, g => g!.StartsWith("declared-", StringComparison.Ordinal));
        Assert.Equal(["fed"], id.GetProperty("amr").EnumerateArray().Select(v => v.GetString()));
    }
}
