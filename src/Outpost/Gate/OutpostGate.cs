using SsoOperator.Outpost.Configuration;

namespace SsoOperator.Outpost.Gate;

/// <summary>
/// The outpost's whole request pipeline: probes, forward-auth endpoints, and for every other request
/// the app its Host names: the outpost's own paths, or the gate in front of the proxied app.
/// </summary>
public sealed partial class OutpostGate(
    ConfigState state,
    Gatekeeper gatekeeper,
    OutpostRoutes routes,
    ForwardAuthEndpoint forwardAuth,
    ProxyForwarder forwarder,
    ILogger<OutpostGate> logger)
{
    private const string ForwardAuthPrefix = "/outpost/auth/";
    public const string RevisionHeader = "X-Outpost-Config-Revision";

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path is OutpostPaths.Ping or "/outpost/ping")
        {
            await PingAsync(context).ConfigureAwait(false);
            return;
        }
        if (state.Current is not { } config)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        if (path.StartsWith(ForwardAuthPrefix, StringComparison.Ordinal))
        {
            await forwardAuth.HandleAsync(context, config, path[ForwardAuthPrefix.Length..]).ConfigureAwait(false);
            return;
        }
        await GateAsync(context, config).ConfigureAwait(false);
    }

    /// <summary>
    /// For probes: 200 once a valid config is in force (503 before), naming the revision it serves so
    /// that a rollout can tell when every replica runs the current config.
    /// </summary>
    private Task PingAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain";
        context.Response.Headers.CacheControl = "no-store";
        if (state.Current is not { } config)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return context.Response.WriteAsync("no valid config yet", context.RequestAborted);
        }
        context.Response.Headers[RevisionHeader] = config.Revision;
        return context.Response.WriteAsync("pong", context.RequestAborted);
    }

    private async Task GateAsync(HttpContext context, OutpostSnapshot config)
    {
        var app = config.FindApp(context.Request.Host.Value);
        if (app is null)
        {
            LogUnknownHost(logger, context.Request.Host.Value);
            await Pages.UnknownHostAsync(context, context.Request.Host.Value ?? "").ConfigureAwait(false);
            return;
        }
        // Every path, skipped ones included: no identity header from a client ever reaches an app.
        IdentityHeaders.Strip(context.Request.Headers, app.PassAccessToken);
        var request = new GateRequest(config, app, OriginalUrl(context, app), context.Request.Method,
            RequestKind.IsPageLoad(context.Request.Method, context.Request.Headers));
        if (await routes.TryHandleAsync(context, request).ConfigureAwait(false))
        {
            return;
        }
        if (app.Mode != AppMode.Proxy)
        {
            // Note: forward-auth hosts are served by their ingress; only /outpost/ paths reach the outpost.
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        await ProxyAsync(context, request).ConfigureAwait(false);
    }

    private async Task ProxyAsync(HttpContext context, GateRequest request)
    {
        var verdict = gatekeeper.Decide(context, request);
        switch (verdict.Kind)
        {
            case VerdictKind.Skip or VerdictKind.Allow:
                await forwarder.ForwardAsync(context, request, verdict.Session).ConfigureAwait(false);
                break;
            case VerdictKind.SignIn:
                await routes.ChallengeAsync(context, request, request.Url).ConfigureAwait(false);
                break;
            case VerdictKind.Unauthorized:
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                break;
            default:
                await Pages.DeniedAsync(context, OutpostRoutes.DeniedMessage(verdict.Decision)).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>The URL the user asked for: the app's scheme (TLS may end before the outpost) and the Host.</summary>
    private static Uri OriginalUrl(HttpContext context, OutpostApp app)
    {
        var request = context.Request;
        return new Uri($"{app.ExternalHost.Scheme}://{request.Host.Value}{request.PathBase}{request.Path}" +
                       request.QueryString);
    }

    [LoggerMessage(60, LogLevel.Debug, "No app serves host {Host}")]
    private static partial void LogUnknownHost(ILogger logger, string? host);
}
