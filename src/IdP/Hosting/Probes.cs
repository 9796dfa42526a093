using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace SsoOperator.IdP.Hosting;

/// <summary>/healthz says the process serves; /readyz also checks the database.</summary>
public static class Probes
{
    public const string ReadyTag = "ready";

    public static void MapProbes(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
    }
}
