using Microsoft.Net.Http.Headers;

namespace SsoOperator.Outpost.Gate;

/// <summary>Tells a browser page load (which may be redirected to sign in) from an API call (which gets 401).</summary>
public static class RequestKind
{
    public static bool IsPageLoad(string method, IHeaderDictionary headers)
    {
        if (!HttpMethods.IsGet(method) || headers.ContainsKey("X-Requested-With"))
        {
            return false;
        }
        // Fetch Metadata: only a navigation is a page load; fetch() and XHR send cors, same-origin or no-cors.
        var fetchMode = headers["Sec-Fetch-Mode"].ToString();
        if (fetchMode.Length > 0 && !string.Equals(fetchMode, "navigate", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        return headers[HeaderNames.Accept].ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
    }
}
