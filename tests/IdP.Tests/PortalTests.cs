using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Tests;

public sealed class PortalTests(IdpHost idp) : IClassFixture<IdpHost>
{
    [Fact]
    public async Task Home_SignedInUser_ListsOnlyTheApplicationsTheirRulesAdmit()
    {
        var user = Scenario.Unique("portal");
        var group = Scenario.Unique("family");
        await idp.CreateUserAsync(user, Scenario.Password, group);
        var mine = await ApplicationAsync("Media <Requests>", "https://media.example.com/", groups: [group]);
        var byName = await ApplicationAsync("Photos", "https://photos.example.com/", users: [user]);
        var others = await ApplicationAsync("Admin Console", "https://admin.example.com/", groups: ["admins"]);
        using var browser = new Browser();

        var login = await browser.GoAsync(new Uri(idp.Issuer, "account/login"));
        await browser.SignInAsync(login, user, Scenario.Password);
        var home = await browser.GoAsync(idp.Issuer);

        Assert.Contains("<a href=\"https://media.example.com/\">Media &lt;Requests&gt;</a>", home.Body,
            StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://photos.example.com/\">Photos</a>", home.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("admin.example.com", home.Body, StringComparison.Ordinal);
        Assert.True(home.Body.IndexOf(mine, StringComparison.Ordinal) < home.Body.IndexOf(byName,
            StringComparison.Ordinal), "applications are listed by name");
        Assert.NotEmpty(others);
    }

    [Fact]
    public async Task Home_Anonymous_OffersSignInAndNoApplications()
    {
        await ApplicationAsync("Public Wiki", "https://wiki.example.com/", groups: ["everyone"]);
        using var browser = new Browser();

        var home = await browser.GoAsync(idp.Issuer);

        Assert.Contains("/account/login", home.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("wiki.example.com", home.Body, StringComparison.Ordinal);
    }

    private async Task<string> ApplicationAsync(
        string name, string launchUrl, IReadOnlyList<string>? groups = null, IReadOnlyList<string>? users = null)
    {
        var slug = Scenario.Unique("app");
        var result = await idp.Store.UpsertApplicationAsync(new ApplicationDefinition(slug, name, slug,
            new Uri(launchUrl), null, groups ?? [], users ?? [], false,
            Scenario.Owner with { Kind = "Application", Name = slug }), default);
        Assert.Equal(UpsertOutcome.Created, result.Outcome);
        return launchUrl;
    }
}
