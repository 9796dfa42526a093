using System.Net;

namespace SsoOperator.Outpost.Gate;

/// <summary>The few pages the outpost shows itself: access denied, signed out, sign-in failed.</summary>
public static class Pages
{
    public static Task DeniedAsync(HttpContext context, string message) =>
        WriteAsync(context, StatusCodes.Status403Forbidden, "Access denied", message);

    public static Task SignedOutAsync(HttpContext context) =>
        WriteAsync(context, StatusCodes.Status200OK, "Signed out", "You have been signed out.");

    public static Task SignInFailedAsync(HttpContext context, string message) =>
        WriteAsync(context, StatusCodes.Status400BadRequest, "Sign-in failed", message);

    /// <summary>
    /// A host no app of the current config serves: usually a typo in a Provider's externalHost, or an
    /// Application the Outpost's applicationRefs do not list. API clients get the bare status.
    /// </summary>
    public static Task UnknownHostAsync(HttpContext context, string host)
    {
        if (!RequestKind.IsPageLoad(context.Request.Method, context.Request.Headers))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        return WriteAsync(context, StatusCodes.Status404NotFound, "Unknown application",
            $"This outpost serves no application at {host}. Check the proxy Provider's spec.proxy.externalHost " +
            "and that the Outpost's spec.applicationRefs lists the Application.");
    }

    public static Task WriteAsync(HttpContext context, int status, string title, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var html = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(title)}</title></head>
            <body><h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(message)}</p></body></html>
            """;
        return context.Response.WriteAsync(html, context.RequestAborted);
    }
}
