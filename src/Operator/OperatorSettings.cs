using k8s;
using SsoOperator.Operator.Reconcilers;
using SsoOperator.Operator.Runtime;

namespace SsoOperator.Operator;

/// <summary>
/// The operator's settings, from command-line flags (--Idp:Issuer=...), environment variables
/// (Idp__Issuer=...) or appsettings. docs/operator.md lists them all.
/// </summary>
public sealed record OperatorSettings(
    string ConnectionString,
    string? Kubeconfig,
    string? WatchNamespace,
    OperatorOptions Operator,
    ControllerOptions Controllers,
    LeaderElectionOptions LeaderElection)
{
    public static OperatorSettings Read(IConfiguration configuration)
    {
        var connection = configuration.GetConnectionString("Idp") ?? throw new InvalidOperationException(
            "ConnectionStrings:Idp is not set; pass --ConnectionStrings:Idp=\"Host=...;Database=...\"");
        var election = configuration.GetSection("LeaderElection");
        var defaults = new LeaderElectionOptions();
        var controllers = configuration.GetSection("Controllers");
        return new OperatorSettings(connection, configuration["Kubeconfig"], configuration["WatchNamespace"],
            new OperatorOptions { Issuer = configuration["Idp:Issuer"] ?? new OperatorOptions().Issuer },
            new ControllerOptions
            {
                Workers = controllers.GetValue("Workers", 2),
                ResyncPeriod = controllers.GetValue("ResyncPeriod", TimeSpan.FromMinutes(10)),
                Backoff = new Backoff(controllers.GetValue("BackoffInitial", TimeSpan.FromSeconds(1)),
                    controllers.GetValue("BackoffMax", TimeSpan.FromMinutes(2))),
            },
            new LeaderElectionOptions
            {
                Enabled = election.GetValue("Enabled", true),
                Namespace = election["Namespace"] ?? Environment.GetEnvironmentVariable("POD_NAMESPACE")
                    ?? defaults.Namespace,
                LeaseName = election["LeaseName"] ?? defaults.LeaseName,
                Identity = election["Identity"] ?? Environment.GetEnvironmentVariable("POD_NAME")
                    ?? defaults.Identity,
                LeaseDuration = election.GetValue("LeaseDuration", defaults.LeaseDuration),
                RenewDeadline = election.GetValue("RenewDeadline", defaults.RenewDeadline),
                RetryPeriod = election.GetValue("RetryPeriod", defaults.RetryPeriod),
                ReleaseOnCancel = election.GetValue("ReleaseOnCancel", defaults.ReleaseOnCancel),
            });
    }

    /// <summary>The kubeconfig named by --Kubeconfig, else in-cluster, else $KUBECONFIG or ~/.kube/config.</summary>
    public KubernetesClientConfiguration Kubernetes() => Kubeconfig is { Length: > 0 } path
        ? KubernetesClientConfiguration.BuildConfigFromConfigFile(path)
        : KubernetesClientConfiguration.BuildDefaultConfig();
}
