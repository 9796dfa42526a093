using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SsoOperator.Operator.Tests.Support;

namespace SsoOperator.Operator.Tests;

[Collection(Reconcilers.OperatorCollection.Name)]
public sealed class OperatorHostTests
{
    [Fact]
    public async Task TwoReplicas_LeaderKilledMidWork_StandbyFinishesWithoutDuplicates()
    {
        await using var env = await OperatorEnvironment.StartAsync("ha", replicas: 2);
        await TestCluster.EventuallyAsync(() => env.Runtime("replica-0").IsLeader || env.Runtime("replica-1").IsLeader,
            "a leader");
        var leader = env.Runtime("replica-0").IsLeader ? "replica-0" : "replica-1";
        var standby = leader == "replica-0" ? "replica-1" : "replica-0";
        Assert.False(env.Runtime(standby).IsLeader);

        var manifests = Enumerable.Range(0, 6).Select(i =>
            Manifests.GeneratedProvider($"p{i}") + "\n---\n" + Manifests.Application($"a{i}", $"p{i}"));
        await env.ApplyAsync(string.Join("\n---\n", manifests));
        await TestCluster.EventuallyAsync(async () => await ClientsAsync(env) >= 1, "the leader's first write");
        await env.KillReplicaAsync(leader);

        await TestCluster.EventuallyAsync(() => env.Runtime(standby).IsLeader, "the standby to lead",
            TimeSpan.FromSeconds(20));
        for (var i = 0; i < 6; i++)
        {
            await env.WaitReadyAsync(env.Applications, $"a{i}");
            Assert.Equal(1, await env.ClientRowsAsync($"p{i}"));
            Assert.Equal(1, await env.ApplicationRowsAsync($"a{i}"));
        }
        Assert.Equal(6, await env.CountAsync("SELECT count(*) FROM \"OpenIddictApplications\""));
    }

    /// <summary>How many clients the IdP has; none while the leader has not created the schema yet.</summary>
    private static async Task<long> ClientsAsync(OperatorEnvironment env)
    {
        try
        {
            return await env.CountAsync("SELECT count(*) FROM \"OpenIddictApplications\"");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }

    [Fact]
    public async Task Endpoints_HealthReadinessAndMetrics_Served()
    {
        await using var env = await OperatorEnvironment.StartAsync("http");
        await env.ApplyAsync(Manifests.GeneratedProvider("seen"));
        await env.WaitReadyAsync(env.Providers, "seen");
        var address = env.Replicas["replica-0"].Services.GetRequiredService<IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        string? ready = null;
        await TestCluster.EventuallyAsync(async () =>
        {
            using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
            ready = await response.Content.ReadAsStringAsync();
            return response.StatusCode == HttpStatusCode.OK;
        }, "readiness");
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", ready);
        Assert.Contains("ssooperator_reconcile_total{kind=\"Provider\",result=\"done\"}", metrics);
        Assert.Contains("ssooperator_reconcile_duration_seconds_bucket{kind=\"Provider\"", metrics);
        Assert.Contains("ssooperator_workqueue_depth{kind=\"Provider\"}", metrics);
        Assert.Contains("ssooperator_leader 1", metrics);
    }
}
