using SsoOperator.Crds;
using SsoOperator.Operator.Runtime;
using SsoOperator.Operator.Tests.Support;

namespace SsoOperator.Operator.Tests.Reconcilers;

[Collection(OperatorCollection.Name)]
public sealed class ApplicationReconcilerTests
{
    [Fact]
    public async Task Apply_ProviderAndApplication_BothReadyAndLinked()
    {
        await using var env = await OperatorEnvironment.StartAsync("app");

        await env.ApplyAsync(Manifests.Application("portal", "portal") + "\n---\n" +
            Manifests.GeneratedProvider("portal"));
        var provider = await env.WaitReadyAsync(env.Providers, "portal");
        var application = await env.WaitReadyAsync(env.Applications, "portal");

        Assert.Equal(provider.Metadata.Generation, provider.Status.ObservedGeneration);
        Assert.Equal(application.Metadata.Generation, application.Status.ObservedGeneration);
        Assert.Equal(("portal", "portal"), (application.Status.Slug, application.Status.ProviderClientId));
        Assert.Equal(1, await env.CountAsync(
            "SELECT count(*) FROM sso_applications WHERE \"Slug\" = 'portal' AND \"ClientId\" = 'portal' " +
            "AND \"Groups\" = ARRAY['users']"));
    }

    [Fact]
    public async Task Apply_MissingProvider_ReasonProviderNotFoundUntilItExists()
    {
        await using var env = await OperatorEnvironment.StartAsync("orphan");
        await env.ApplyAsync(Manifests.Application("lonely", "later"));
        await TestCluster.EventuallyAsync(async () =>
            (await env.ReadyConditionAsync(env.Applications, "lonely"))?.Reason == Reasons.ProviderNotFound,
            "reason ProviderNotFound");

        await env.ApplyAsync(Manifests.GeneratedProvider("later"));

        var application = await env.WaitReadyAsync(env.Applications, "lonely", TimeSpan.FromSeconds(20));
        Assert.Equal("later", application.Status.ProviderClientId);
    }

    [Fact]
    public async Task Delete_Application_RecordGone()
    {
        await using var env = await OperatorEnvironment.StartAsync("appdel");
        await env.ApplyAsync(Manifests.GeneratedProvider("p") + "\n---\n" + Manifests.Application("a", "p"));
        await env.WaitReadyAsync(env.Applications, "a");

        await env.DeleteAsync("application/a");

        await TestCluster.EventuallyAsync(async () =>
            await env.Applications.GetAsync(new ObjectKey(env.Namespace, "a"), CancellationToken.None) is null,
            "the Application to go");
        Assert.Equal(0, await env.ApplicationRowsAsync("a"));
        Assert.Equal(1, await env.ClientRowsAsync("p"));
    }

    [Fact]
    public async Task DatabaseStoppedMidReconcile_DatabaseUnavailableThenReadyByItself()
    {
        await using var env = await OperatorEnvironment.StartAsync("outage");
        await env.ApplyAsync(Manifests.GeneratedProvider("steady"));
        await env.WaitReadyAsync(env.Providers, "steady");

        await env.Postgres.StopProcessAsync();
        try
        {
            await env.ApplyAsync(Manifests.GeneratedProvider("steady", "http://127.0.0.1:8080/moved") +
                "\n---\n" + Manifests.Application("during", "steady"));
            await TestCluster.EventuallyAsync(async () =>
                (await env.ReadyConditionAsync(env.Providers, "steady"))?.Reason == Reasons.DatabaseUnavailable,
                "reason DatabaseUnavailable", TimeSpan.FromSeconds(60));
        }
        finally
        {
            await env.Postgres.StartProcessAsync();
        }

        var provider = await env.WaitReadyAsync(env.Providers, "steady", TimeSpan.FromSeconds(60));
        await env.WaitReadyAsync(env.Applications, "during", TimeSpan.FromSeconds(60));
        var client = await env.ClientManager().FindByClientIdAsync("steady");
        Assert.Equal(2, provider.Status.ObservedGeneration);
        Assert.Equal(["http://127.0.0.1:8080/moved"],
            (await env.ClientManager().GetRedirectUrisAsync(client!)).ToArray());
    }
}
