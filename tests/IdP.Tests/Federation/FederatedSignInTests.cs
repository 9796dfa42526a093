using System.Net;
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
        Assert.Equal(1, await FederationScenario.AuditedAsync(idp, slug, "created"));
    }

    [Theory]
    [InlineData("other.test")]
    [InlineData(null)]
    public async Task HostedDomain_OtherOrNone_RefusedAndNoUserCreated(string? hostedDomain)
    {
        var slug = await FederationScenario.SourceAsync(idp, upstream, hostedDomain: FederationScenario.Domain);
        var person = await FederationScenario.PersonAsync(upstream, hostedDomain,
            email: $"{Scenario.Unique("out")}@gmail.com");
        var client = await Scenario.ClientAsync(idp);
        using var browser = new Browser();

        var done = await FederationScenario.SignInAsync(browser, upstream, client, slug, person);

        Assert.Equal(HttpStatusCode.Forbidden, done.Status);
        Assert.Equal($"/federation/{slug}/callback", done.Url.AbsolutePath);
        Assert.Contains("Accounts outside corp.test may not sign in", FederationScenario.Alert(done),
            StringComparison.Ordinal);
        Assert.Empty(await FederationScenario.UsersWithEmailAsync(idp, person.Email!));
        Assert.Null(await FederationScenario.LinkedAsync(idp, upstream, person.Sub));
        Assert.Equal(1, await FederationScenario.AuditedAsync(idp, slug, "hosted-domain-refused"));
    }

    [Fact]
    public async Task HostedDomain_Matching_AcceptedAndSentAsHint()
    {
        var slug = await FederationScenario.SourceAsync(idp, upstream, hostedDomain: FederationScenario.Domain);
        var person = await FederationScenario.PersonAsync(upstream, FederationScenario.Domain);
        var client = await Scenario.ClientAsync(idp);
        using var browser = new Browser();

        var done = await FederationScenario.SignInAsync(browser, upstream, client, slug, person);
        var hint = (await upstream.LastAuthorizationAsync()).GetProperty("hd").GetString();

        Assert.True(client.IsRedirect(done.Url), $"ended at {done.Url} ({done.Status}): {done.Body}");
        Assert.Equal(FederationScenario.Domain, hint);
        Assert.NotNull(await FederationScenario.LinkedAsync(idp, upstream, person.Sub));
    }

    [Fact]
    public async Task SameEmail_NotTakenOverWithoutItsPassword_LinkedAfterTheCorrectOne()
    {
        var local = await idp.CreateUserAsync(Scenario.Unique("owner"), Scenario.Password, "staff");
        var slug = await FederationScenario.SourceAsync(idp, upstream);
        var person = await FederationScenario.PersonAsync(upstream, email: local.Email);
        var client = await Scenario.ClientAsync(idp);
        using var browser = new Browser();

        // The identity is vouched for, the email matches, and still nothing is linked or signed in.
        var offer = await FederationScenario.SignInAsync(browser, upstream, client, slug, person);
        Assert.Equal(HttpStatusCode.OK, offer.Status);
        Assert.Contains("Enter its password to link Upstream to it", offer.Body, StringComparison.Ordinal);
        Assert.Null(await FederationScenario.LinkedAsync(idp, upstream, person.Sub));
        Assert.DoesNotContain("Signed in as", (await browser.GoAsync(idp.Issuer)).Body, StringComparison.Ordinal);

        // A wrong password links nothing.
        var wrong = await browser.SubmitAsync(offer, new Dictionary<string, string> { ["password"] = "Wrong-1" },
            client.IsRedirect);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Contains("Nothing was linked", FederationScenario.Alert(wrong), StringComparison.Ordinal);
        Assert.Null(await FederationScenario.LinkedAsync(idp, upstream, person.Sub));

        // The right one links the identity to that account, and the sign-in goes on to the client.
        var done = await browser.SubmitAsync(wrong, new Dictionary<string, string> { ["password"] = Scenario.Password },
            client.IsRedirect);
        Assert.True(client.IsRedirect(done.Url), $"ended at {done.Url} ({done.Status}): {done.Body}");
        var linked = await FederationScenario.LinkedAsync(idp, upstream, person.Sub);
        Assert.NotNull(linked);
        Assert.Equal(local.Id, linked.User.Id);
        var login = Assert.Single(linked.Logins);
        Assert.Equal((upstream.Issuer.ToString(), person.Sub, "Upstream"),
            (login.LoginProvider, login.ProviderKey, login.ProviderDisplayName));
        Assert.Single(await FederationScenario.UsersWithEmailAsync(idp, local.Email!));
        Assert.Equal((1, 1, 1), (await FederationScenario.AuditedAsync(idp, slug, "link-required"),
            await FederationScenario.AuditedAsync(idp, slug, "link-failed"),
            await FederationScenario.AuditedAsync(idp, slug, "linked")));
    }

    [Fact]
    public async Task SameEmailAsAPasswordlessFederatedUser_NotLinkable_Refused()
    {
        var slug = await FederationScenario.SourceAsync(idp, upstream);
        var first = await FederationScenario.PersonAsync(upstream);
        var second = await FederationScenario.PersonAsync(upstream, email: first.Email);
        var client = await Scenario.ClientAsync(idp);
        using (var browser = new Browser())
        {
            await FederationScenario.SignInAsync(browser, upstream, client, slug, first);
        }
        using var other = new Browser();

        var done = await FederationScenario.SignInAsync(other, upstream, client, slug, second);

        Assert.Equal(HttpStatusCode.Conflict, done.Status);
        Assert.Contains("it has no password", FederationScenario.Alert(done), StringComparison.Ordinal);
        Assert.Single(await FederationScenario.UsersWithEmailAsync(idp, first.Email!));
        Assert.Null(await FederationScenario.LinkedAsync(idp, upstream, second.Sub));
    }

    [Fact]
    public async Task SecondSignIn_ReusesTheLink_NoNewUser()
    {
        var slug = await FederationScenario.SourceAsync(idp, upstream);
        var person = await FederationScenario.PersonAsync(upstream);
        var client = await Scenario.ClientAsync(idp);

        var subjects = new List<string?>();
        for (var round = 0; round < 2; round++)
        {
            using var browser = new Browser();
            var done = await FederationScenario.SignInAsync(browser, upstream, client, slug, person);
            var tokens = await client.RedeemAsync(done.Query("code")!);
            subjects.Add(Scenario.Payload(await Scenario.VerifyAsync(idp, tokens["id_token"]!))
                .GetProperty("sub").GetString());
        }

        var user = Assert.Single(await FederationScenario.UsersWithEmailAsync(idp, person.Email!));
        Assert.Equal([user.Id, user.Id], subjects);
        Assert.Equal((1, 1), (await FederationScenario.AuditedAsync(idp, slug, "created"),
            await FederationScenario.AuditedAsync(idp, slug, "succeeded")));
        Assert.Single((await FederationScenario.LinkedAsync(idp, upstream, person.Sub))!.Logins);
    }

    [Fact]
    public async Task CreateUsersOff_UnknownPerson_RefusedAndNotCreated()
    {
        var slug = await FederationScenario.SourceAsync(idp, upstream, createUsers: false);
        var person = await FederationScenario.PersonAsync(upstream);
        var client = await Scenario.ClientAsync(idp);
        using var browser = new Browser();

        var done = await FederationScenario.SignInAsync(browser, upstream, client, slug, person);

        Assert.Equal(HttpStatusCode.Forbidden, done.Status);
        Assert.Contains("not known here. An administrator must add it", FederationScenario.Alert(done),
            StringComparison.Ordinal);
        Assert.Empty(await FederationScenario.UsersWithEmailAsync(idp, person.Email!));
        Assert.Equal(1, await FederationScenario.AuditedAsync(idp, slug, "not-known"));
    }

    [Fact]
    public async Task LinkedUserDisabled_Refused()
    {
        var slug = await FederationScenario.SourceAsync(idp, upstream);
        var person = await FederationScenario.PersonAsync(upstream);
        var client = await Scenario.ClientAsync(idp);
        using (var first = new Browser())
        {
            Assert.True(client.IsRedirect((await FederationScenario.SignInAsync(first, upstream, client, slug,
                person)).Url));
        }
        await idp.SetDisabledAsync(person.Email!, disabled: true);
        using var browser = new Browser();

        var done = await FederationScenario.SignInAsync(browser, upstream, client, slug, person);

        Assert.Equal(HttpStatusCode.Forbidden, done.Status);
        Assert.Contains("disabled", FederationScenario.Alert(done), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData("true", true)]
    [InlineData(false, false)]
    public async Task EmailVerified_BooleanOrString_DecidesConfirmationAndUserName(object verified, bool confirmed)
    {
        var slug = await FederationScenario.SourceAsync(idp, upstream);
        var person = await FederationScenario.PersonAsync(upstream, emailVerified: verified);
        var client = await Scenario.ClientAsync(idp);
        using var browser = new Browser();

        await FederationScenario.SignInAsync(browser, upstream, client, slug, person);
        var user = (await FederationScenario.LinkedAsync(idp, upstream, person.Sub))!.User;

        Assert.Equal(person.Email, user.Email);
        Assert.Equal(confirmed, user.EmailConfirmed);
        // An unverified address never becomes a user name: Group members naming it would match.
        Assert.Equal(confirmed ? person.Email : person.Sub, user.UserName);
    }

    [Fact]
    public async Task PreferredUsername_AlreadyTaken_GetsTheNextNumber()
    {
        var taken = (await idp.CreateUserAsync(Scenario.Unique("dana"), Scenario.Password)).UserName!;
        var slug = await FederationScenario.SourceAsync(idp, upstream, usernameClaim: "preferred_username");
        var person = await FederationScenario.PersonAsync(upstream, preferredUsername: taken);
        var client = await Scenario.ClientAsync(idp);
        using var browser = new Browser();

        await FederationScenario.SignInAsync(browser, upstream, client, slug, person);

        Assert.Equal($"{taken}-2", (await FederationScenario.LinkedAsync(idp, upstream, person.Sub))!.User.UserName);
    }

    [Fact]
    public async Task NoUsableUserName_RefusedWithAPage()
    {
        var slug = await FederationScenario.SourceAsync(idp, upstream);
        var person = await upstream.AddAccountAsync(new UpstreamAccount($"1#{Guid.NewGuid():N}"));
        var client = await Scenario.ClientAsync(idp);
        using var browser = new Browser();

        var done = await FederationScenario.SignInAsync(browser, upstream, client, slug, person);

        Assert.Equal(HttpStatusCode.Forbidden, done.Status);
        Assert.Contains("cannot be used as a user name", FederationScenario.Alert(done), StringComparison.Ordinal);
        Assert.Null(await FederationScenario.LinkedAsync(idp, upstream, person.Sub));
    }

    [Fact]
    public async Task ApplicationRequiringMfa_AfterTheFederatedStep_AsksForTheSecondFactor()
    {
        var slug = await FederationScenario.SourceAsync(idp, upstream, groups: ["staff"]);
        var person = await FederationScenario.PersonAsync(upstream);
        var client = await Mfa.MfaScenario.ClientAsync(idp, requireMfa: true);
        using var browser = new Browser();

        var done = await FederationScenario.SignInAsync(browser, upstream, client, slug, person);

        Assert.Equal(IdP.Mfa.MfaEndpoints.EnrollPath, done.Url.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.DoesNotContain("Signed in as", (await browser.GoAsync(idp.Issuer)).Body, StringComparison.Ordinal);
    }
}
