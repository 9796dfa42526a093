using Prometheus;

namespace SsoOperator.IdP.Accounts;

/// <summary>
/// Authentication outcomes, in their own log category (SsoOperator.IdP.Audit) and as Prometheus counters:
/// who, which client, success or failure, why, and the request id.
/// </summary>
public sealed partial class Audit(ILoggerFactory loggers)
{
    public const string Category = "SsoOperator.IdP.Audit";

    private static readonly Counter SignIns = Metrics.CreateCounter(
        "ssooperator_idp_sign_ins_total", "Password sign-ins by outcome.", "outcome");

    private static readonly Counter Authorizations = Metrics.CreateCounter(
        "ssooperator_idp_authorizations_total", "Authorization requests by outcome.", "outcome");

    private static readonly Counter FederatedSignIns = Metrics.CreateCounter(
        "ssooperator_idp_federated_sign_ins_total", "Federated sign-ins by source and outcome.", "source",
        "outcome");

    private readonly ILogger logger = loggers.CreateLogger(Category);

    public void SignIn(HttpContext context, string user, string outcome)
    {
        SignIns.WithLabels(outcome).Inc();
        LogSignIn(logger, user, outcome, context.TraceIdentifier);
    }

    public void Authorization(HttpContext context, string user, string clientId, string outcome, string? reason)
    {
        Authorizations.WithLabels(outcome).Inc();
        LogAuthorization(logger, user, clientId, outcome, reason ?? "-", context.TraceIdentifier);
    }

    /// <summary>
    /// A federated sign-in's outcome: succeeded, created, linked, link-required, link-failed, not-known, disabled,
    /// hosted-domain-refused or error, with the reason (a fixed code, never a token or secret).
    /// </summary>
    public void Federation(HttpContext context, string user, string source, string outcome, string? reason)
    {
        FederatedSignIns.WithLabels(source, outcome).Inc();
        LogFederation(logger, user, source, outcome, reason ?? "-", context.TraceIdentifier);
    }

    [LoggerMessage(EventId = 202, Level = LogLevel.Information,
        Message = "Federated sign-in {Outcome} for {User} through {Source}: {Reason} (request {RequestId})")]
    private static partial void LogFederation(
        ILogger logger, string user, string source, string outcome, string reason, string requestId);

    [LoggerMessage(EventId = 200, Level = LogLevel.Information,
        Message = "Sign-in {Outcome} for {User} (request {RequestId})")]
    private static partial void LogSignIn(ILogger logger, string user, string outcome, string requestId);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information,
        Message = "Authorization {Outcome} for {User} at {ClientId}: {Reason} (request {RequestId})")]
    private static partial void LogAuthorization(
        ILogger logger, string user, string clientId, string outcome, string reason, string requestId);
}
