using System.Net;
using SsoOperator.IdP.Mfa;

namespace SsoOperator.IdP.Tests.Mfa;

/// <summary>The user's own page: new recovery codes and removing the authenticator, after the password again.</summary>
public sealed class MfaManagementTests(IdpHost idp) : IClassFixture<IdpHost>
{
    private static readonly Uri Page = new(MfaManagementEndpoints.Path, UriKind.Relative);

    [Fact]
    public async Task RecoveryCodes_WrongPasswordThenRightPassword_NewCodesReplaceOldOnes()
    {
        var (user, browser) = await EnrolledAsync();
        using var _ = browser;
        var page = await browser.GoAsync(new Uri(idp.Issuer, Page));
        var form = MfaScenario.FormFor(page, MfaManagementEndpoints.RecoveryCodesPath);

        var refused = await browser.SubmitAsync(form, Password("not-my-password"));
        var shown = await browser.SubmitAsync(MfaScenario.FormFor(refused, MfaManagementEndpoints.RecoveryCodesPath),
            Password(Scenario.Password));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("10 unused recovery codes", page.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Contains("password is not correct", refused.Body, StringComparison.Ordinal);
        var fresh = MfaScenario.RecoveryCodes(shown.Body);
        Assert.Equal(10, fresh.Count);
        Assert.Empty(fresh.Intersect(user.Codes));
    }

    [Fact]
    public async Task Remove_WithPassword_DeviceGoneAndNextMfaSignInEnrollsAgain()
    {
        var (user, browser) = await EnrolledAsync();
        using var _ = browser;
        var page = await browser.GoAsync(new Uri(idp.Issuer, Page));

        var removed = await browser.SubmitAsync(MfaScenario.FormFor(page, MfaManagementEndpoints.RemovePath),
            Password(Scenario.Password));

        Assert.Contains("authenticator and its recovery codes are removed", removed.Body, StringComparison.Ordinal);
        Assert.False(await MfaScenario.HasDeviceAsync(idp, user.Id));
        Assert.Equal(0, await MfaScenario.UnusedRecoveryCodesAsync(idp, user.Id));
        var client = await MfaScenario.ClientAsync(idp, requireMfa: true);
        var next = await browser.GoAsync(client.AuthorizeUrl(), client.IsRedirect);
        Assert.Equal(MfaEndpoints.EnrollPath, next.Url.AbsolutePath);
    }

    [Fact]
    public async Task Page_PasswordOnlySession_SentToCodePageNotShown()
    {
        var (user, enrolled) = await EnrolledAsync();
        enrolled.Dispose();
        var plain = await MfaScenario.ClientAsync(idp, requireMfa: false);
        using var browser = new Browser();
        await Scenario.CodeAsync(browser, plain, user.Name);

        var page = await browser.GoAsync(new Uri(idp.Issuer, Page));
        var post = await browser.Http.PostAsync(new Uri(idp.Issuer, MfaManagementEndpoints.RemovePath),
            new FormUrlEncodedContent(Password(Scenario.Password)));

        Assert.Equal(MfaEndpoints.VerifyPath, page.Url.AbsolutePath);
        Assert.NotEqual(HttpStatusCode.OK, post.StatusCode);
        Assert.True(await MfaScenario.HasDeviceAsync(idp, user.Id));
    }

    [Fact]
    public async Task ResetMfaCommand_ExistingUser_RemovesDeviceAndExitsZero()
    {
        var (user, browser) = await EnrolledAsync();
        browser.Dispose();
        using var output = new StringWriter();

        var exit = await ResetMfaCommand.RunAsync([ResetMfaCommand.Verb, "--user", user.Name, .. Settings()],
            output, default);

        Assert.Equal(0, exit);
        Assert.Contains($"Removed the authenticator and recovery codes of {user.Name}", output.ToString(),
            StringComparison.Ordinal);
        Assert.False(await MfaScenario.HasDeviceAsync(idp, user.Id));
        var client = await MfaScenario.ClientAsync(idp, requireMfa: true);
        using var next = new Browser();
        var page = await next.SignInAsync(await next.GoAsync(client.AuthorizeUrl()), user.Name, Scenario.Password,
            client.IsRedirect);
        Assert.Equal(MfaEndpoints.EnrollPath, page.Url.AbsolutePath);
    }

    [Theory]
    [InlineData("nobody-here", 1)]
    [InlineData(null, 2)]
    public async Task ResetMfaCommand_UnknownUserOrNoUser_Fails(string? userName, int expected)
    {
        using var output = new StringWriter();
        string[] args = userName is null ? [ResetMfaCommand.Verb] : [ResetMfaCommand.Verb, "--user", userName];

        var exit = await ResetMfaCommand.RunAsync([.. args, .. Settings()], output, default);

        Assert.Equal(expected, exit);
        Assert.Contains(userName is null ? "usage:" : "No user named nobody-here", output.ToString(),
            StringComparison.Ordinal);
    }

    private string[] Settings() =>
        [$"--ConnectionStrings:Idp={idp.ConnectionString}", $"--Idp:Issuer={idp.Issuer}",
            "--Logging:LogLevel:Default=Warning"];

    private async Task<(EnrolledUser User, Browser Browser)> EnrolledAsync()
    {
        var created = await idp.CreateUserAsync(Scenario.Unique("mgmt"), Scenario.Password, "staff");
        var browser = new Browser();
        var (secret, codes) = await MfaScenario.EnrollAsync(idp, browser, created.UserName!);
        return (new EnrolledUser(created.Id, created.UserName!, secret, codes), browser);
    }

    private static Dictionary<string, string> Password(string value) => new() { ["password"] = value };

    private sealed record EnrolledUser(string Id, string Name, byte[] Secret, IReadOnlyList<string> Codes);
}
