using System.Net;
using System.Net.Sockets;
using k8s;
using SsoOperator.Crds;
using SsoOperator.Operator.Runtime;
using SsoOperator.Operator.Tests.Support;

namespace SsoOperator.Operator.Tests.Reconcilers;

[Collection(OperatorCollection.Name)]
public sealed class SourceReconcilerTests
{
    private const string RedirectUri = "http://127.0.0.1:9000/federation/google/callback";

    [Fact]
    public async Task Apply_SourceAndSecret_ReadyWithRedirectUriAndRowHoldingTheSecret()
    {
        await using var env = await OperatorEnvironment.StartAsync("src");
        // Note: a listener as the issuer proves the operator never contacts it (the IdP reads discovery).
        using var issuer = new TcpListener(IPAddress.Loopback, 0);
        issuer.Start();
        var issuerUrl = $"http://127.0.0.1:{((IPEndPoint)issuer.LocalEndpoint).Port}";

        await env.ApplyAsync(Manifests.Secret("google-oidc", "federation-secret-1") + "\n---\n" +
            Manifests.Source("google", "google-oidc", issuer: issuerUrl));
        var source = await env.WaitReadyAsync(env.Sources, "google");

        Assert.Equal(("google", RedirectUri), (source.Status.Slug, source.Status.RedirectUri));
        var ready = source.Status.Conditions.Single(c => c.Type == ConditionTypes.Ready);
        Assert.Equal(Reasons.Reconciled, ready.Reason);
        Assert.Equal($"registered as google; register {RedirectUri} at the issuer", ready.Message);
        Assert.Equal(1, await env.CountAsync(
            "SELECT count(*) FROM sso_sources WHERE \"Slug\" = 'google' AND \"ClientSecret\" = 'federation-secret-1' " +
            "AND \"Issuer\" = @issuer AND \"ClientId\" = 'google-client' AND \"HostedDomain\" = 'example.com' " +
            "AND \"NewUserGroups\" = ARRAY['family'] AND \"OwnerKind\" = 'Source' AND \"OwnerName\" = 'google'",
            ("issuer", issuerUrl)));
        Assert.Contains(await env.EventsAsync("google"), e => e.Reason == "SourceCreated");
        Assert.False(issuer.Pending(), "the operator opened a connection to the issuer");
        await AssertSecretNowhereAsync(env, "google", "federation-secret-1");
    }

    [Fact]
    public async Task Apply_SecretArrivesLater_SecretNotFoundThenReadyAndRotationReachesTheRow()
    {
        await using var env = await OperatorEnvironment.StartAsync("srclate");
        await env.ApplyAsync(Manifests.Source("google", "late-oidc"));
        await TestCluster.EventuallyAsync(async () =>
            (await env.ReadyConditionAsync(env.Sources, "google"))?.Reason == Reasons.SecretNotFound,
            "reason SecretNotFound");
        var missing = await env.ReadyConditionAsync(env.Sources, "google");
        Assert.Contains("spec.oidc.clientSecret.secretRef.name", missing!.Message, StringComparison.Ordinal);
        // Stalled (so Flux's health check fails at once), and the redirect URI to register is already known.
        var waiting = await env.Sources.GetAsync(new ObjectKey(env.Namespace, "google"), default);
        Assert.Contains(waiting!.Status.Conditions,
            c => c.Type == ConditionTypes.Stalled && c.Status == ConditionStatus.True);
        Assert.EndsWith("/federation/google/callback", waiting.Status.RedirectUri, StringComparison.Ordinal);

        await env.ApplyAsync(Manifests.Secret("late-oidc", "first-federation-secret"));
        await env.WaitReadyAsync(env.Sources, "google", TimeSpan.FromSeconds(10));
        Assert.Equal("first-federation-secret", await SecretInRowAsync(env, "google"));

        await env.ApplyAsync(Manifests.Secret("late-oidc", "second-federation-secret"));
        var rotated = DateTime.UtcNow;
        await TestCluster.EventuallyAsync(async () => await SecretInRowAsync(env, "google") ==
            "second-federation-secret", "the rotated secret in the row", TimeSpan.FromSeconds(10));
        Assert.True(DateTime.UtcNow - rotated < TimeSpan.FromSeconds(5));
        await TestCluster.EventuallyAsync(async () => (await env.EventsAsync("google")).Any(e =>
            e.Reason == "SecretRotated"), "Event SecretRotated");
        await AssertSecretNowhereAsync(env, "google", "first-federation-secret");
        await AssertSecretNowhereAsync(env, "google", "second-federation-secret");
    }

    [Fact]
    public async Task Apply_SecretWithoutTheKey_SecretKeyNotFoundNamingTheField()
    {
        await using var env = await OperatorEnvironment.StartAsync("srckey");
        await env.ApplyAsync(Manifests.Secret("keyless", "x").Replace("client-secret:", "other-key:",
            StringComparison.Ordinal) + "\n---\n" + Manifests.Source("google", "keyless"));

        await TestCluster.EventuallyAsync(async () =>
            (await env.ReadyConditionAsync(env.Sources, "google"))?.Reason == Reasons.SecretKeyNotFound,
            "reason SecretKeyNotFound");

        var condition = await env.ReadyConditionAsync(env.Sources, "google");
        Assert.Contains("no key client-secret (spec.oidc.clientSecret.secretRef.key)", condition!.Message,
            StringComparison.Ordinal);
        Assert.Equal(0, await env.SourceRowsAsync("google"));
    }

    [Fact]
    public async Task Apply_HttpIssuerNotOnLoopback_StalledInvalidSpecAndNoRow()
    {
        await using var env = await OperatorEnvironment.StartAsync("srcbad");
        await env.ApplyAsync(Manifests.Secret("s", "v") + "\n---\n" +
            Manifests.Source("plain", "s", issuer: "http://login.example.invalid"));

        await TestCluster.EventuallyAsync(async () =>
            (await env.ReadyConditionAsync(env.Sources, "plain"))?.Reason == Reasons.InvalidSpec,
            "reason InvalidSpec");

        var source = await env.Sources.GetAsync(new ObjectKey(env.Namespace, "plain"), default);
        Assert.Contains(source!.Status.Conditions, c => c.Type == ConditionTypes.Stalled);
        Assert.StartsWith("spec.oidc.issuer", source.Status.Conditions.Single(c => c.Type == "Ready").Message,
            StringComparison.Ordinal);
        Assert.Equal(0, await env.SourceRowsAsync("plain"));
    }

    [Fact]
    public async Task Apply_TwoSourcesOneSlug_SecondConflictsUntilTheFirstIsDeleted()
    {
        await using var env = await OperatorEnvironment.StartAsync("srcconf");
        await env.ApplyAsync(Manifests.Secret("s", "v") + "\n---\n" + Manifests.Source("first", "s", "google"));
        await env.WaitReadyAsync(env.Sources, "first");

        await env.ApplyAsync(Manifests.Source("second", "s", "google"));
        await TestCluster.EventuallyAsync(async () =>
            (await env.ReadyConditionAsync(env.Sources, "second"))?.Reason == Reasons.SourceSlugConflict,
            "reason SourceSlugConflict");
        var message = (await env.ReadyConditionAsync(env.Sources, "second"))!.Message;
        Assert.Contains($"Source {env.Namespace}/first", message, StringComparison.Ordinal);
        Assert.Equal("first-client", await env.ScalarAsync(
            "SELECT \"ClientId\" FROM sso_sources WHERE \"Slug\" = 'google'"));

        await env.DeleteAsync("source/first");
        await env.WaitReadyAsync(env.Sources, "second", TimeSpan.FromSeconds(20));
        Assert.Equal("second-client", await env.ScalarAsync(
            "SELECT \"ClientId\" FROM sso_sources WHERE \"Slug\" = 'google'"));
    }

    [Fact]
    public async Task Edit_SlugToFreeThenToHeldSlug_OldRowGoesOnlyWhenTheNewOneIsRegistered()
    {
        await using var env = await OperatorEnvironment.StartAsync("srcmove");
        await env.ApplyAsync(Manifests.Secret("s", "v") + "\n---\n" + Manifests.Source("holder", "s") +
            "\n---\n" + Manifests.Source("mover", "s"));
        await env.WaitReadyAsync(env.Sources, "holder");
        await env.WaitReadyAsync(env.Sources, "mover");

        await env.ApplyAsync(Manifests.Source("mover", "s", "moved"));
        var moved = await env.WaitReadyAsync(env.Sources, "mover");
        Assert.Equal("http://127.0.0.1:9000/federation/moved/callback", moved.Status.RedirectUri);
        Assert.Equal((0L, 1L), (await env.SourceRowsAsync("mover"), await env.SourceRowsAsync("moved")));

        await env.ApplyAsync(Manifests.Source("mover", "s", "holder"));
        await TestCluster.EventuallyAsync(async () =>
            (await env.ReadyConditionAsync(env.Sources, "mover"))?.Reason == Reasons.SourceSlugConflict,
            "reason SourceSlugConflict");
        Assert.Equal((1L, 1L), (await env.SourceRowsAsync("moved"), await env.SourceRowsAsync("holder")));
    }

    [Fact]
    public async Task Delete_Source_RowAndFinalizerGone()
    {
        await using var env = await OperatorEnvironment.StartAsync("srcdel");
        await env.ApplyAsync(Manifests.Secret("s", "v") + "\n---\n" + Manifests.Source("gone", "s"));
        var source = await env.WaitReadyAsync(env.Sources, "gone");
        Assert.Contains("ssooperator.dev/source", source.Metadata.Finalizers);
        Assert.Equal(1, await env.SourceRowsAsync("gone"));

        await env.DeleteAsync("source/gone");

        await TestCluster.EventuallyAsync(async () =>
            await env.Sources.GetAsync(new ObjectKey(env.Namespace, "gone"), default) is null, "the Source to go");
        Assert.Equal(0, await env.SourceRowsAsync("gone"));
    }

    [Fact]
    public async Task Resync_UnchangedSourceAndGroup_WriteNothing()
    {
        await using var env = await OperatorEnvironment.StartAsync("srcnoop");
        await env.ApplyAsync(Manifests.Secret("s", "v") + "\n---\n" + Manifests.Source("still", "s") +
            "\n---\n" + Manifests.Group("still", "alice"));
        await env.WaitReadyAsync(env.Sources, "still");
        await env.WaitReadyAsync(env.Groups, "still");
        await Task.Delay(1000);
        var before = await SnapshotAsync(env);
        var metrics = env.Metrics("replica-0").Reconciles;
        double Done() => metrics.WithLabels("Source", "done").Value + metrics.WithLabels("Group", "done").Value;
        var reconciles = Done();

        // The resync period is two seconds: wait for at least two more reconciles of each.
        await TestCluster.EventuallyAsync(() => Done() >= reconciles + 4, "resyncs");

        Assert.Equal(before, await SnapshotAsync(env));
    }

    [Fact]
    public async Task Resync_RowChangedBehindOurBack_CorrectedWithAWarningNamingTheField()
    {
        await using var env = await OperatorEnvironment.StartAsync("srcdrift");
        await env.ApplyAsync(Manifests.Secret("s", "drift-secret-value") + "\n---\n" + Manifests.Source("drifty", "s"));
        await env.WaitReadyAsync(env.Sources, "drifty");

        await env.CountAsync("WITH changed AS (UPDATE sso_sources SET \"HostedDomain\" = NULL, " +
            "\"ClientSecret\" = 'tampered' WHERE \"Slug\" = 'drifty' RETURNING 1) SELECT count(*) FROM changed");

        await TestCluster.EventuallyAsync(() =>
            env.Metrics("replica-0").DriftCorrections.WithLabels("Source").Value >= 1, "a drift correction");
        // The counter moves before the Event is written: wait for the Event too.
        await TestCluster.EventuallyAsync(async () =>
            (await env.EventsAsync("drifty")).Any(e => e.Reason == "DriftCorrected"), "the DriftCorrected Event");
        Assert.Equal("example.com", await env.ScalarAsync(
            "SELECT \"HostedDomain\" FROM sso_sources WHERE \"Slug\" = 'drifty'"));
        Assert.Equal("drift-secret-value", await SecretInRowAsync(env, "drifty"));
        var drift = Assert.Single(await env.EventsAsync("drifty"), e => e.Reason == "DriftCorrected");
        Assert.Equal("Warning", drift.Type);
        Assert.Contains("(ClientSecret, HostedDomain)", drift.Message, StringComparison.Ordinal);
        await AssertSecretNowhereAsync(env, "drifty", "drift-secret-value");
    }

    // Resource versions, row versions (xmin changes with every write of a row) and the number of Events.
    private static async Task<string> SnapshotAsync(OperatorEnvironment env)
    {
        var source = await env.Sources.GetAsync(new ObjectKey(env.Namespace, "still"), default);
        var group = await env.Groups.GetAsync(new ObjectKey(env.Namespace, "still"), default);
        var sourceRow = await env.ScalarAsync("SELECT xmin::text FROM sso_sources WHERE \"Slug\" = 'still'");
        var groupRow = await env.ScalarAsync("SELECT xmin::text FROM \"AspNetRoles\" WHERE \"Name\" = 'still'");
        var events = (await env.EventsAsync("still")).Count;
        return $"{source!.Metadata.ResourceVersion} {group!.Metadata.ResourceVersion} {sourceRow} {groupRow} {events}";
    }

    private static Task<string?> SecretInRowAsync(OperatorEnvironment env, string slug) =>
        env.ScalarAsync("SELECT \"ClientSecret\" FROM sso_sources WHERE \"Slug\" = @slug", ("slug", slug));

    /// <summary>The secret is in the database row, and nowhere the operator reports to.</summary>
    private static async Task AssertSecretNowhereAsync(OperatorEnvironment env, string name, string secret)
    {
        var source = await env.Sources.GetAsync(new ObjectKey(env.Namespace, name), default);
        var events = await env.EventsAsync(name);
        Assert.DoesNotContain(secret, KubernetesJson.Serialize(source!.Status), StringComparison.Ordinal);
        Assert.All(events, e => Assert.DoesNotContain(secret, e.Message ?? "", StringComparison.Ordinal));
        Assert.NotEmpty(events);
    }
}
