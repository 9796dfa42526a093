using System.Net;
using Microsoft.Net.Http.Headers;

namespace SsoOperator.Outpost.Tests.Infrastructure;

/// <summary>
/// Asks an outpost's forward-auth endpoint about a browser's request the way nginx, Traefik or Caddy
/// do: the original URL in headers, the browser's cookies passed along, Set-Cookie handed back.
/// </summary>
public sealed class Ingress(OutpostInstance outpost) : IDisposable
{
    private readonly HttpClient http = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });

    public async Task<HttpResponseMessage> AskAsync(Browser browser, string flavour, string url,
        bool pageLoad = true, string method = "GET")
    {
        var original = new Uri(url);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{outpost.Url}/outpost/auth/{flavour}");
        if (flavour == "nginx")
        {
            request.Headers.Add("X-Original-URL", url);
            request.Headers.Add("X-Original-Method", method);
        }
        else
        {
            request.Headers.Add("X-Forwarded-Proto", original.Scheme);
            request.Headers.Add("X-Forwarded-Host", original.Authority);
            request.Headers.Add("X-Forwarded-Uri", original.PathAndQuery);
            request.Headers.Add("X-Forwarded-Method", method);
        }
        request.Headers.Accept.ParseAdd(pageLoad ? "text/html" : "application/json");
        if (pageLoad)
        {
            request.Headers.Add("Sec-Fetch-Mode", "navigate");
        }
        var cookies = browser.Cookies.GetCookieHeader(original);
        if (cookies.Length > 0)
        {
            request.Headers.Add(HeaderNames.Cookie, cookies);
        }
        var response = await http.SendAsync(request);
        if (response.Headers.TryGetValues(HeaderNames.SetCookie, out var setCookies))
        {
            foreach (var setCookie in setCookies)
            {
                browser.Cookies.SetCookies(original, setCookie);
            }
        }
        return response;
    }

    /// <summary>Follows the browser through the IdP; returns the first URL back on an app host.</summary>
    public static async Task<string> ThroughIdpAsync(Browser browser, Uri start)
    {
        var url = start.AbsoluteUri;
        for (var hop = 0; hop < 10 && new Uri(url).Host == "idp.test"; hop++)
        {
            using var response = await browser.Http.SendAsync(Browser.Navigate(url));
            if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.Found))
            {
                throw new InvalidOperationException($"the IdP answered {response.StatusCode} at {url}");
            }
            url = new Uri(new Uri(url), response.Headers.Location!).AbsoluteUri;
        }
        return url;
    }

    public void Dispose() => http.Dispose();
}
