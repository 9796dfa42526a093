using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SsoOperator.IdP.Accounts;
using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Federation;

/// <summary>
/// Federated login: /federation/{slug}/start sends the browser to the source's issuer, /federation/{slug}/callback
/// takes it back (see <see cref="FederatedSignIn"/>), /federation/link links an existing account by its password.
/// </summary>
public static class FederationEndpoints
{
    public const string PathPrefix = "/federation";
    public const string LinkPath = PathPrefix + "/link";

    public static string StartUrl(string slug, string returnUrl) => QueryHelpers.AddQueryString(
        $"{PathPrefix}/{Uri.EscapeDataString(slug)}/start", "returnUrl", returnUrl);

    /// <summary>
    /// The redirect URI registered at the issuer: {Idp:Issuer}federation/{slug}/callback. The operator reports
    /// the same string in a Source's status.redirectUri, so this form is a contract.
    /// </summary>
    public static Uri RedirectUri(Uri issuer, string slug) => new(issuer, $"federation/{slug}/callback");

    public static void MapFederationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(PathPrefix + "/{slug}/start", StartAsync);
        app.MapGet(PathPrefix + "/{slug}/callback",
            (HttpContext context, string slug, FederatedSignIn signIn) => signIn.CallbackAsync(context, slug));
        app.MapPost(LinkPath, (HttpContext context, FederatedSignIn signIn) => signIn.LinkAsync(context))
            .DisableAntiforgery();
    }

    private static async Task<IResult> StartAsync(HttpContext context, string slug, string? returnUrl,
        IdpDbContext db, IssuerClient issuers, FederationCookies cookies, IOptions<IdpOptions> options, Audit audit)
    {
        var back = AccountEndpoints.LocalOrRoot(returnUrl);
        var source = await db.Sources.AsNoTracking().FirstOrDefaultAsync(s => s.Slug == slug, context.RequestAborted);
        if (source is null)
        {
            return FederationPages.UnknownSource(back);
        }
        try
        {
            var configuration = await issuers.DiscoverAsync(source, context.RequestAborted);
            var flow = FederationFlow.Start(source.Slug, back);
            cookies.WriteFlow(context, flow);
            var redirectUri = RedirectUri(options.Value.Issuer!, source.Slug);
            return Results.Redirect(IssuerClient.AuthorizeUrl(source, configuration, redirectUri, flow).AbsoluteUri);
        }
        catch (FederationException e)
        {
            audit.Federation(context, "-", source.Slug, "error", e.Reason);
            return FederationPages.Failed(e.Message, back);
        }
    }
}
