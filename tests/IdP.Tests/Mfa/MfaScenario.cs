using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using SsoOperator.IdP.Mfa;
using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Tests.Mfa;

/// <summary>The IdP with `Idp:Mfa:Policy=Everyone`: no session without a second factor.</summary>
public sealed class EveryoneMfaIdpHost() : IdpHost(["--Idp:Mfa:Policy=Everyone", "--Idp:Mfa:IssuerName=Home Lab"]);

/// <summary>What the two-factor tests share: MFA applications, reading the enrollment page, computing codes.</summary>
public static partial class MfaScenario
{
    /// <summary>A confidential client for group "staff" whose application requires MFA (or not).</summary>
    public static async Task<OidcClient> ClientAsync(IdpHost idp, bool requireMfa, Uri? redirectUri = null)
    {
        var client = await Scenario.ClientAsync(idp);
        if (redirectUri is not null)
        {
            // Same client, but sending the browser to a loopback address the test intercepts.
            client = new OidcClient(idp.Issuer, client.ClientId, client.Secret, redirectUri);
            await idp.Store.UpsertClientAsync(new ClientDefinition(client.ClientId, client.ClientId, true,
                client.Secret, [redirectUri], [], ["openid", "profile", "email", "groups", "offline_access"],
                ["authorization_code", "refresh_token"], true, ["client_secret_basic"], null, null,
                Scenario.Owner with { Name = client.ClientId }), default);
        }
        await idp.Store.UpsertApplicationAsync(new ApplicationDefinition(client.ClientId, $"App {client.ClientId}",
            client.ClientId, null, null, ["staff"], [], requireMfa,
            Scenario.Owner with { Kind = "Application", Name = client.ClientId }), default);
        return client;
    }

    /// <summary>
    /// Enrolls <paramref name="user"/> through the pages, signing in to an MFA application; the browser keeps
    /// the resulting session (amr pwd + otp). Uses the current step's code.
    /// </summary>
    public static async Task<(byte[] Secret, IReadOnlyList<string> Codes)> EnrollAsync(
        IdpHost idp, Browser browser, string user)
    {
        var client = await ClientAsync(idp, requireMfa: true);
        var enrollment = await browser.SignInAsync(await browser.GoAsync(client.AuthorizeUrl()), user,
            Scenario.Password, client.IsRedirect);
        Assert.Equal(MfaEndpoints.EnrollPath, enrollment.Url.AbsolutePath);
        var secret = Secret(OtpauthUri(enrollment.Body));
        var shown = await browser.SubmitAsync(enrollment, new Dictionary<string, string> { ["code"] = Code(secret) });
        var codes = RecoveryCodes(shown.Body);
        Assert.Equal(10, codes.Count);
        return (secret, codes);
    }

    /// <summary>The otpauth URI of the enrollment page (the link authenticator apps open).</summary>
    public static Uri OtpauthUri(string html)
    {
        var match = OtpauthLink().Match(html);
        Assert.True(match.Success, $"no otpauth link on the page: {html}");
        return new Uri(WebUtility.HtmlDecode(match.Groups[1].Value));
    }

    /// <summary>The secret bytes from an otpauth URI, decoded with Otp.NET (not our code).</summary>
    public static byte[] Secret(Uri otpauth)
    {
        var secret = QueryParameters(otpauth)["secret"];
        return OtpNet.Base32Encoding.ToBytes(secret);
    }

    /// <summary>
    /// The code for <paramref name="stepsAhead"/> steps from now, computed with Otp.NET. Each code works once,
    /// so a second code within the same 30 seconds is the next step's (within the allowed drift).
    /// </summary>
    public static string Code(byte[] secret, int stepsAhead = 0) =>
        new OtpNet.Totp(secret).ComputeTotp(DateTime.UtcNow.AddSeconds(TotpCodes.PeriodSeconds * stepsAhead));

    /// <summary>Query parameters parsed by hand: split on '&amp;' and '=', then percent-decoded.</summary>
    public static Dictionary<string, string> QueryParameters(Uri uri) => uri.Query.TrimStart('?')
        .Split('&', StringSplitOptions.RemoveEmptyEntries)
        .Select(pair => pair.Split('=', 2))
        .ToDictionary(pair => Uri.UnescapeDataString(pair[0]), pair => Uri.UnescapeDataString(pair[1]),
            StringComparer.Ordinal);

    /// <summary>The recovery codes of the page shown once after enrollment or regeneration.</summary>
    public static IReadOnlyList<string> RecoveryCodes(string html) =>
        [.. RecoveryCode().Matches(html).Select(m => m.Groups[1].Value)];

    /// <summary>The page narrowed to the form posting to <paramref name="action"/>, for Browser.SubmitAsync.</summary>
    public static Step FormFor(Step page, string action)
    {
        var at = page.Body.IndexOf($"action=\"{action}", StringComparison.Ordinal);
        Assert.True(at > 0, $"no form for {action}: {page.Body}");
        var start = page.Body.LastIndexOf("<form", at, StringComparison.Ordinal);
        return page with { Body = page.Body[start..] };
    }

    public static async Task<int> UnusedRecoveryCodesAsync(IdpHost idp, string userId)
    {
        await using var scope = idp.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MfaStore>().UnusedRecoveryCodesAsync(userId, default);
    }

    public static async Task<bool> HasDeviceAsync(IdpHost idp, string userId)
    {
        await using var scope = idp.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MfaStore>().ConfirmedDeviceAsync(userId, default)
            is not null;
    }

    [GeneratedRegex("href=\"(otpauth://[^\"]+)\"")]
    private static partial Regex OtpauthLink();

    [GeneratedRegex("<li><code>([a-z0-9-]+)</code></li>")]
    private static partial Regex RecoveryCode();
}
