using System.Text;
using k8s;
using SsoOperator.Crds;
using SsoOperator.Operator.Reconcilers;
using SsoOperator.Operator.Runtime;
using SsoOperator.Operator.Tests.Support;

namespace SsoOperator.Operator.Tests.Reconcilers;

[Collection(OperatorCollection.Name)]
public sealed class ProviderReconcilerTests
{
    [Fact]
    public async Task Apply_GeneratedSecret_ReadyWithSecretTheIdpAccepts()
    {
        await using var env = await OperatorEnvironment.StartAsync("prov");

        await env.ApplyAsync(Manifests.GeneratedProvider("grafana"));
        var provider = await env.WaitReadyAsync(env.Providers, "grafana");

        var secret = await env.Client.CoreV1.ReadNamespacedSecretAsync("grafana-oidc", env.Namespace);
        var value = Encoding.UTF8.GetString(secret.Data[ClientSecrets.ClientSecretKey]);
        Assert.Equal("grafana", Encoding.UTF8.GetString(secret.Data[ClientSecrets.ClientIdKey]));
        Assert.Equal(OperatorEnvironment.DefaultIssuer, Encoding.UTF8.GetString(secret.Data[ClientSecrets.IssuerKey]));
        Assert.Equal(provider.Metadata.Uid, Assert.Single(secret.Metadata.OwnerReferences).Uid);
        Assert.Equal("grafana", provider.Status.ClientId);
        Assert.Equal(OperatorEnvironment.DefaultIssuer, provider.Status.Issuer);
        Assert.Equal(Reasons.Reconciled, provider.Status.Conditions.Single(c => c.Type == "Ready").Reason);
        Assert.True(await env.SecretAcceptedAsync("grafana", value));
        Assert.False(await env.SecretAcceptedAsync("grafana", "not-the-secret"));
        Assert.DoesNotContain(value, string.Join('\n', provider.Status.Conditions.Select(c => c.Message)));
    }

    [Fact]
    public async Task Edit_RedirectUri_IdpHasOnlyTheNewOne()
    {
        await using var env = await OperatorEnvironment.StartAsync("edit");
        await env.ApplyAsync(Manifests.GeneratedProvider("app", "http://127.0.0.1:8080/old"));
        await env.WaitReadyAsync(env.Providers, "app");

        await env.ApplyAsync(Manifests.GeneratedProvider("app", "http://127.0.0.1:8080/new"));
        var provider = await env.WaitReadyAsync(env.Providers, "app");

        var manager = env.ClientManager();
        var client = await manager.FindByClientIdAsync("app");
        Assert.Equal(2, provider.Metadata.Generation);
        Assert.Equal(["http://127.0.0.1:8080/new"], (await manager.GetRedirectUrisAsync(client!)).ToArray());
    }

    [Fact]
    public async Task Delete_Provider_RowsGoneAndSecretCollected()
    {
        await using var env = await OperatorEnvironment.StartAsync("del");
        await env.ApplyAsync(Manifests.GeneratedProvider("gone"));
        await env.WaitReadyAsync(env.Providers, "gone");
        Assert.Equal(1, await env.ClientRowsAsync("gone"));

        await env.DeleteAsync("provider/gone");

        await TestCluster.EventuallyAsync(async () =>
            await env.Providers.GetAsync(new ObjectKey(env.Namespace, "gone"), CancellationToken.None) is null,
            "the Provider to go");
        Assert.Equal(0, await env.ClientRowsAsync("gone"));
        await TestCluster.EventuallyAsync(async () => (await env.Client.CoreV1.ListNamespacedSecretAsync(
            env.Namespace)).Items.All(s => s.Metadata.Name != "gone-oidc"), "the garbage collector");
    }

    [Fact]
    public async Task Apply_SecretArrivesLater_ReadySoonAfterAndRotationSwapsSecrets()
    {
        await using var env = await OperatorEnvironment.StartAsync("late");
        await env.ApplyAsync(Manifests.ReferencedProvider("late", "late-secret"));
        await TestCluster.EventuallyAsync(async () =>
            (await env.ReadyConditionAsync(env.Providers, "late"))?.Reason == Reasons.SecretNotFound,
            "reason SecretNotFound");
        // Stalled, so that a Flux health check fails at once and names it, while the operator keeps retrying.
        var waiting = await env.Providers.GetAsync(new ObjectKey(env.Namespace, "late"), default);
        Assert.Contains(waiting!.Status.Conditions,
            c => c.Type == ConditionTypes.Stalled && c.Status == ConditionStatus.True);

        await env.ApplyAsync(Manifests.Secret("late-secret", "first-secret-value"));
        var applied = DateTime.UtcNow;
        await env.WaitReadyAsync(env.Providers, "late", TimeSpan.FromSeconds(10));
        Assert.True(DateTime.UtcNow - applied < TimeSpan.FromSeconds(5));
        Assert.True(await env.SecretAcceptedAsync("late", "first-secret-value"));
        // The missing Secret was told once as a Warning Event, however often it was retried.
        var warnings = (await env.Client.CoreV1.ListNamespacedEventAsync(env.Namespace)).Items
            .Where(e => e.InvolvedObject.Name == "late" && e.Type == "Warning").ToList();
        Assert.Equal([Reasons.SecretNotFound], warnings.Select(e => e.Reason));
        Assert.Contains("late-secret", warnings[0].Message, StringComparison.Ordinal);

        await env.ApplyAsync(Manifests.Secret("late-secret", "second-secret-value"));
        await TestCluster.EventuallyAsync(() => env.SecretAcceptedAsync("late", "second-secret-value"),
            "the rotated secret", TimeSpan.FromSeconds(10));
        Assert.False(await env.SecretAcceptedAsync("late", "first-secret-value"));
    }

    [Fact]
    public async Task Apply_TwoProvidersOneClientId_SecondReportsConflict()
    {
        await using var env = await OperatorEnvironment.StartAsync("conflict");
        await env.ApplyAsync(Manifests.GeneratedProvider("first"));
        await env.WaitReadyAsync(env.Providers, "first");

        await env.ApplyAsync(Manifests.GeneratedProvider("second").Replace(
            "    clientSecret:", "    clientId: first\n    clientSecret:", StringComparison.Ordinal));

        await TestCluster.EventuallyAsync(async () =>
            (await env.ReadyConditionAsync(env.Providers, "second"))?.Reason == Reasons.ClientIdConflict,
            "reason ClientIdConflict");
        Assert.Equal(1, await env.ClientRowsAsync("first"));
        var message = (await env.ReadyConditionAsync(env.Providers, "second"))!.Message;
        Assert.Contains($"Provider {env.Namespace}/first", message);
    }

    [Fact]
    public async Task Edit_ClientIdToFreeThenToHeldId_OldClientGoesOnlyWhenTheNewOneIsRegistered()
    {
        await using var env = await OperatorEnvironment.StartAsync("rename");
        await env.ApplyAsync(Manifests.GeneratedProvider("holder") + "\n---\n" + Manifests.GeneratedProvider("mover"));
        await env.WaitReadyAsync(env.Providers, "holder");
        await env.WaitReadyAsync(env.Providers, "mover");
        static string WithClientId(string yaml, string id) =>
            yaml.Replace("    clientSecret:", $"    clientId: {id}\n    clientSecret:", StringComparison.Ordinal);

        await env.ApplyAsync(WithClientId(Manifests.GeneratedProvider("mover"), "moved"));
        var moved = await env.WaitReadyAsync(env.Providers, "mover");
        Assert.Equal("moved", moved.Status.ClientId);
        Assert.Equal((0L, 1L), (await env.ClientRowsAsync("mover"), await env.ClientRowsAsync("moved")));

        await env.ApplyAsync(WithClientId(Manifests.GeneratedProvider("mover"), "holder"));
        await TestCluster.EventuallyAsync(async () =>
            (await env.ReadyConditionAsync(env.Providers, "mover"))?.Reason == Reasons.ClientIdConflict,
            "reason ClientIdConflict");
        Assert.Equal((1L, 1L), (await env.ClientRowsAsync("moved"), await env.ClientRowsAsync("holder")));
    }

    [Fact]
    public async Task Resync_UnchangedProviderAndApplication_WriteNothing()
    {
        await using var env = await OperatorEnvironment.StartAsync("noop");
        await env.ApplyAsync(
            Manifests.GeneratedProvider("still") + "\n---\n" + Manifests.Application("still", "still"));
        await env.WaitReadyAsync(env.Applications, "still");
        await Task.Delay(1000);
        var provider = await env.WaitReadyAsync(env.Providers, "still");
        var application = await env.WaitReadyAsync(env.Applications, "still");
        var rowVersions = await RowVersionsAsync(env);
        var metrics = env.Metrics("replica-0").Reconciles;
        var reconciles = metrics.WithLabels("Provider", "done").Value + metrics.WithLabels("Application", "done").Value;

        // The resync period is two seconds: wait for at least two more reconciles of each.
        await TestCluster.EventuallyAsync(() => metrics.WithLabels("Provider", "done").Value +
            metrics.WithLabels("Application", "done").Value >= reconciles + 4, "resyncs");

        var providerAfter = await env.Providers.GetAsync(new ObjectKey(env.Namespace, "still"), default);
        var applicationAfter = await env.Applications.GetAsync(new ObjectKey(env.Namespace, "still"), default);
        Assert.Equal(provider.Metadata.ResourceVersion, providerAfter!.Metadata.ResourceVersion);
        Assert.Equal(application.Metadata.ResourceVersion, applicationAfter!.Metadata.ResourceVersion);
        Assert.Equal(rowVersions, await RowVersionsAsync(env));
    }

    [Fact]
    public async Task Delete_WhileDatabaseDown_WaitsThenRemovesRows()
    {
        await using var env = await OperatorEnvironment.StartAsync("deldown");
        await env.ApplyAsync(Manifests.GeneratedProvider("held"));
        await env.WaitReadyAsync(env.Providers, "held");

        await env.Postgres.StopProcessAsync();
        try
        {
            await env.DeleteAsync("provider/held");
            await TestCluster.EventuallyAsync(async () =>
                (await env.ReadyConditionAsync(env.Providers, "held"))?.Reason == Reasons.DatabaseUnavailable,
                "reason DatabaseUnavailable while deleting", TimeSpan.FromSeconds(60));
            await Task.Delay(1000);
            Assert.NotNull(await env.Providers.GetAsync(new ObjectKey(env.Namespace, "held"), default));
        }
        finally
        {
            await env.Postgres.StartProcessAsync();
        }

        await TestCluster.EventuallyAsync(async () =>
            await env.Providers.GetAsync(new ObjectKey(env.Namespace, "held"), default) is null,
            "the Provider to go once the database is back", TimeSpan.FromSeconds(60));
        Assert.Equal(0, await env.ClientRowsAsync("held"));
    }

    // xmin changes with every update of a row: equal values mean no write happened.
    private static async Task<(long, long, long)> RowVersionsAsync(OperatorEnvironment env) => (
        await env.CountAsync("SELECT xmin::text::bigint FROM sso_client_registrations WHERE \"ClientId\" = 'still'"),
        await env.CountAsync("SELECT xmin::text::bigint FROM \"OpenIddictApplications\" WHERE \"ClientId\" = 'still'"),
        await env.CountAsync("SELECT xmin::text::bigint FROM sso_applications WHERE \"Slug\" = 'still'"));

    [Fact]
    public async Task Resync_RowChangedBehindOurBack_CorrectedAndCounted()
    {
        await using var env = await OperatorEnvironment.StartAsync("drift");
        await env.ApplyAsync(Manifests.GeneratedProvider("drifty"));
        await env.WaitReadyAsync(env.Providers, "drifty");

        await env.CountAsync("WITH changed AS (UPDATE \"OpenIddictApplications\" SET \"RedirectUris\" = " +
            "'[\"http://evil.invalid/\"]' WHERE \"ClientId\" = 'drifty' RETURNING 1) SELECT count(*) FROM changed");

        await TestCluster.EventuallyAsync(() =>
            env.Metrics("replica-0").DriftCorrections.WithLabels("Provider").Value >= 1, "a drift correction");
        var client = await env.ClientManager().FindByClientIdAsync("drifty");
        Assert.Equal(["http://127.0.0.1:8080/callback"],
            (await env.ClientManager().GetRedirectUrisAsync(client!)).ToArray());
        // The counter moves before the Event is written: wait for the Event.
        await TestCluster.EventuallyAsync(async () =>
            (await env.Client.CoreV1.ListNamespacedEventAsync(env.Namespace)).Items
                .Any(e => e.Reason == "DriftCorrected" && e.InvolvedObject.Name == "drifty"),
            "the DriftCorrected Event");
    }
}

[CollectionDefinition(Name)]
public sealed class OperatorCollection
{
    /// <summary>Tests that share (and may stop) the PostgreSQL server run one at a time.</summary>
    public const string Name = "operator";
}
