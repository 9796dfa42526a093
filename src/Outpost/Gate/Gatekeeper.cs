using SsoOperator.Outpost.Configuration;
using SsoOperator.Outpost.Sessions;

namespace SsoOperator.Outpost.Gate;

/// <summary>A request as the user made it, whether it reached the outpost directly or through an ingress.</summary>
public sealed record GateRequest(OutpostSnapshot Config, OutpostApp App, Uri Url, string Method, bool IsPageLoad);

/// <summary>What to do with a request.</summary>
public enum VerdictKind
{
    /// <summary>A skip path: pass without identity.</summary>
    Skip,

    /// <summary>A session the app's policy admits: pass with identity.</summary>
    Allow,

    /// <summary>No session, and a browser page load: send the browser to sign in.</summary>
    SignIn,

    /// <summary>No session, and an API call: 401.</summary>
    Unauthorized,

    /// <summary>A session the app's policy refuses: 403.</summary>
    Forbidden,
}

public sealed record Verdict(VerdictKind Kind, SessionTicket? Session = null, AccessDecision Decision = default);

/// <summary>Decides each request the same way for the proxy and for every forward-auth flavour.</summary>
public sealed partial class Gatekeeper(SessionCookies cookies, ILogger<Gatekeeper> logger)
{
    public Verdict Decide(HttpContext context, GateRequest request)
    {
        var verdict = Evaluate(context, request);
        LogVerdict(logger, request.Method, request.Url.Authority, request.Url.AbsolutePath, request.App.Slug,
            verdict.Kind);
        return verdict;
    }

    private Verdict Evaluate(HttpContext context, GateRequest request)
    {
        if (request.App.IsSkipped(request.Url.AbsolutePath))
        {
            return new Verdict(VerdictKind.Skip);
        }
        var session = cookies.ReadSession(context, request.Config, request.App);
        if (session is null)
        {
            return new Verdict(request.IsPageLoad ? VerdictKind.SignIn : VerdictKind.Unauthorized);
        }
        // The policy is checked on every request, so a config change that removes a user takes effect at once.
        var decision = request.App.Access.Evaluate(session.User);
        return decision switch
        {
            AccessDecision.Allowed => new Verdict(VerdictKind.Allow, session, decision),
            // Step up: a fresh sign-in makes the IdP ask for the second factor this app requires. Should
            // the IdP still answer without one, the callback shows the 403 page, so this cannot loop.
            AccessDecision.MfaRequired when request.IsPageLoad => new Verdict(VerdictKind.SignIn, session, decision),
            _ => new Verdict(VerdictKind.Forbidden, session, decision),
        };
    }

    [LoggerMessage(40, LogLevel.Debug, "{Method} {Host}{Path} for app {App}: {Verdict}")]
    private static partial void LogVerdict(ILogger logger, string method, string host, string path, string app,
        VerdictKind verdict);
}
