using SsoOperator.Outpost.Configuration;

namespace SsoOperator.Outpost.Gate;

/// <summary>
/// The decision endpoints an ingress asks before it passes a request: /outpost/auth/nginx for nginx
/// auth_request, /outpost/auth/traefik for Traefik forwardAuth, /outpost/auth/caddy for Caddy forward_auth.
/// Admitted: 200 with the identity headers for the ingress to copy onto the upstream request.
/// </summary>
public sealed partial class ForwardAuthEndpoint(
    Gatekeeper gatekeeper, OutpostRoutes routes, ILogger<ForwardAuthEndpoint> logger)
{
    public async Task HandleAsync(HttpContext context, OutpostSnapshot config, string flavour)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (flavour is not ("nginx" or "traefik" or "caddy"))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var original = ForwardedRequest.Read(context.Request, flavour);
        var app = original is null ? null : config.FindApp(original.Url.Authority);
        if (original is null || app is null)
        {
            // Note: 403, not 404: nginx treats any status but 2xx, 401 and 403 as an error of its own.
            LogNoApp(logger, flavour, original?.Url.Authority);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        var request = new GateRequest(config, app, original.Url, original.Method,
            RequestKind.IsPageLoad(original.Method, context.Request.Headers));
        if (await routes.TryHandleAsync(context, request).ConfigureAwait(false))
        {
            return;
        }
        await AnswerAsync(context, request, flavour).ConfigureAwait(false);
    }

    private async Task AnswerAsync(HttpContext context, GateRequest request, string flavour)
    {
        var verdict = gatekeeper.Decide(context, request);
        switch (verdict.Kind)
        {
            case VerdictKind.Skip when flavour == "caddy":
                // Note: Caddy 2.6's copy_headers writes its literal placeholder for a header missing from
                // the answer; present but empty, the header reaches the app empty instead.
                foreach (var name in IdentityHeaders.All)
                {
                    context.Response.Headers[name] = "";
                }
                context.Response.StatusCode = StatusCodes.Status200OK;
                break;
            case VerdictKind.Skip:
                context.Response.StatusCode = StatusCodes.Status200OK;
                break;
            case VerdictKind.Allow:
                foreach (var (name, value) in IdentityHeaders.For(verdict.Session!, request.App.PassAccessToken))
                {
                    context.Response.Headers[name] = value;
                }
                context.Response.StatusCode = StatusCodes.Status200OK;
                break;
            case VerdictKind.SignIn when flavour != "nginx":
                // Traefik and Caddy hand a non-2xx answer to the browser as is, Set-Cookie included.
                await routes.ChallengeAsync(context, request, request.Url).ConfigureAwait(false);
                break;
            case VerdictKind.SignIn or VerdictKind.Unauthorized:
                // nginx sends the browser to /outpost/start through its error_page for 401.
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                break;
            default:
                await Pages.DeniedAsync(context, OutpostRoutes.DeniedMessage(verdict.Decision)).ConfigureAwait(false);
                break;
        }
    }

    [LoggerMessage(70, LogLevel.Debug, "Forward-auth ({Flavour}) for host {Host}: no app serves it")]
    private static partial void LogNoApp(ILogger logger, string flavour, string? host);
}

/// <summary>The user's request as the ingress describes it in headers.</summary>
public sealed record ForwardedRequest(Uri Url, string Method)
{
    /// <summary>
    /// Traefik and Caddy send X-Forwarded-Proto, -Host, -Uri and -Method; the nginx configuration in
    /// docs/outpost.md sends X-Original-URL and X-Original-Method (X-Forwarded-* are read too).
    /// </summary>
    public static ForwardedRequest? Read(HttpRequest request, string flavour)
    {
        var headers = request.Headers;
        var method = First(headers["X-Forwarded-Method"], headers["X-Original-Method"]) ?? request.Method;
        var original = headers["X-Original-URL"].ToString();
        if (flavour == "nginx" && Uri.TryCreate(original, UriKind.Absolute, out var full))
        {
            return new ForwardedRequest(full, method);
        }
        var proto = First(headers["X-Forwarded-Proto"]) ?? request.Scheme;
        var host = First(headers["X-Forwarded-Host"]) ?? request.Host.Value;
        var uri = First(headers["X-Forwarded-Uri"]) ?? "/";
        if (proto is not ("http" or "https") || string.IsNullOrEmpty(host) || !uri.StartsWith('/'))
        {
            return null;
        }
        return Uri.TryCreate($"{proto}://{host}{uri}", UriKind.Absolute, out var url) ? new(url, method) : null;
    }

    /// <summary>The first non-empty value; a proxy chain may append several, the first is the client's.</summary>
    private static string? First(params Microsoft.Extensions.Primitives.StringValues[] candidates) =>
        candidates.Select(c => c.ToString().Split(',')[0].Trim()).FirstOrDefault(v => v.Length > 0);
}
