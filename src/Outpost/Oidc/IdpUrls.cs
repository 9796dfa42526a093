using SsoOperator.Outpost.Configuration;

namespace SsoOperator.Outpost.Oidc;

/// <summary>
/// Moves IdP endpoint URLs between the browser's view and the outpost's. An IdP reports its endpoints
/// at one base (its issuer, or whatever host it was asked on); browsers must go to browserUrl and the
/// outpost's own calls to idpUrl.
/// </summary>
public static class IdpUrls
{
    /// <summary>An endpoint for a browser: idpUrl's base replaced by browserUrl's.</summary>
    public static Uri ForBrowser(IdpLocation idp, string endpoint) => Rebase(endpoint, idp.IdpUrl, idp.BrowserUrl);

    /// <summary>An endpoint for the outpost's own calls: browserUrl's base replaced by idpUrl's.</summary>
    public static Uri ForBackChannel(IdpLocation idp, string endpoint) =>
        Rebase(endpoint, idp.BrowserUrl, idp.IdpUrl);

    private static Uri Rebase(string endpoint, Uri from, Uri to)
    {
        var url = new Uri(endpoint);
        var text = url.AbsoluteUri;
        return text.StartsWith(from.AbsoluteUri, StringComparison.OrdinalIgnoreCase)
            ? new Uri(to.AbsoluteUri + text[from.AbsoluteUri.Length..])
            : url;
    }
}

/// <summary>Sends the outpost's calls that name browserUrl's host to idpUrl instead (discovery links, JWKS).</summary>
internal sealed class BackChannelHandler(IdpLocation idp) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken token)
    {
        if (request.RequestUri is { } url)
        {
            request.RequestUri = IdpUrls.ForBackChannel(idp, url.AbsoluteUri);
        }
        return base.SendAsync(request, token);
    }
}
