using SsoOperator.Crds;
using SsoOperator.Operator.Runtime;
using SsoOperator.Operator.Tests.Support;

namespace SsoOperator.Operator.Tests.Reconcilers;

[Collection(OperatorCollection.Name)]
public sealed class GroupReconcilerTests
{
    [Fact]
    public async Task Apply_GroupWithMembers_ReadyAndTheIdpGroupHoldsMembersAndOwner()
    {
        await using var env = await OperatorEnvironment.StartAsync("grp");

        await env.ApplyAsync(Manifests.Group("admins", "alice, Bob@Example.com", "homelab-admins"));
        var group = await env.WaitReadyAsync(env.Groups, "admins");

        Assert.Equal(("homelab-admins", 2), (group.Status.GroupName, group.Status.MemberCount));
        Assert.Contains("ssooperator.dev/group", group.Metadata.Finalizers);
        Assert.Equal("registered as homelab-admins with 2 declared members",
            group.Status.Conditions.Single(c => c.Type == ConditionTypes.Ready).Message);
        Assert.Equal(1, await env.CountAsync(
            "SELECT count(*) FROM \"AspNetRoles\" WHERE \"Name\" = 'homelab-admins' " +
            "AND \"NormalizedName\" = 'HOMELAB-ADMINS' AND \"Members\" = ARRAY['alice', 'bob@example.com'] " +
            "AND \"OwnerKind\" = 'Group' AND \"OwnerNamespace\" = @ns AND \"OwnerName\" = 'admins'",
            ("ns", env.Namespace)));
        Assert.Contains(await env.EventsAsync("admins"), e => e.Reason == "GroupCreated");
    }

    [Fact]
    public async Task Apply_TwoGroupsOneNameInAnyCase_SecondReportsGroupNameConflict()
    {
        await using var env = await OperatorEnvironment.StartAsync("grpconf");
        await env.ApplyAsync(Manifests.Group("first", "alice", "admins"));
        await env.WaitReadyAsync(env.Groups, "first");

        await env.ApplyAsync(Manifests.Group("second", "mallory", "Admins"));

        await TestCluster.EventuallyAsync(async () =>
            (await env.ReadyConditionAsync(env.Groups, "second"))?.Reason == Reasons.GroupNameConflict,
            "reason GroupNameConflict");
        var message = (await env.ReadyConditionAsync(env.Groups, "second"))!.Message;
        Assert.Contains($"Group {env.Namespace}/first", message, StringComparison.Ordinal);
        Assert.Equal("{alice}", await env.ScalarAsync(
            "SELECT \"Members\"::text FROM \"AspNetRoles\" WHERE \"NormalizedName\" = 'ADMINS'"));
    }

    [Fact]
    public async Task Apply_GroupOfAnExistingUnownedName_AdoptsIt()
    {
        await using var env = await OperatorEnvironment.StartAsync("grpadopt");
        await WaitForSchemaAsync(env);
        await env.CountAsync("WITH added AS (INSERT INTO \"AspNetRoles\" (\"Id\", \"Name\", \"NormalizedName\") " +
            "VALUES ('existing-role', 'family', 'FAMILY') RETURNING 1) SELECT count(*) FROM added");

        await env.ApplyAsync(Manifests.Group("family", "alice"));
        await env.WaitReadyAsync(env.Groups, "family");

        Assert.Equal(1, await env.CountAsync(
            "SELECT count(*) FROM \"AspNetRoles\" WHERE \"Id\" = 'existing-role' AND \"OwnerName\" = 'family' " +
            "AND \"Members\" = ARRAY['alice']"));
        Assert.Contains(await env.EventsAsync("family"), e => e.Reason == "GroupAdopted");
    }

    [Fact]
    public async Task Edit_GroupName_OldNameGoesAfterTheNewOneAndACaseChangeRenamesInPlace()
    {
        await using var env = await OperatorEnvironment.StartAsync("grpmove");
        await env.ApplyAsync(Manifests.Group("admins", "alice"));
        await env.WaitReadyAsync(env.Groups, "admins");

        await env.ApplyAsync(Manifests.Group("admins", "alice", "homelab-admins"));
        await env.WaitReadyAsync(env.Groups, "admins");
        Assert.Equal((0L, 1L), (await RowsAsync(env, "admins"), await RowsAsync(env, "homelab-admins")));

        await env.ApplyAsync(Manifests.Group("admins", "alice", "Homelab-Admins"));
        var group = await env.WaitReadyAsync(env.Groups, "admins");
        Assert.Equal("Homelab-Admins", group.Status.GroupName);
        Assert.Equal("Homelab-Admins", await env.ScalarAsync(
            "SELECT \"Name\" FROM \"AspNetRoles\" WHERE \"NormalizedName\" = 'HOMELAB-ADMINS'"));
    }

    [Fact]
    public async Task Delete_Group_RowAndFinalizerGone()
    {
        await using var env = await OperatorEnvironment.StartAsync("grpdel");
        await env.ApplyAsync(Manifests.Group("gone", "alice"));
        await env.WaitReadyAsync(env.Groups, "gone");
        Assert.Equal(1, await RowsAsync(env, "gone"));

        await env.DeleteAsync("group.ssooperator.dev/gone");

        await TestCluster.EventuallyAsync(async () =>
            await env.Groups.GetAsync(new ObjectKey(env.Namespace, "gone"), default) is null, "the Group to go");
        Assert.Equal(0, await RowsAsync(env, "gone"));
    }

    [Fact]
    public async Task Resync_MembersChangedBehindOurBack_Restored()
    {
        await using var env = await OperatorEnvironment.StartAsync("grpdrift");
        await env.ApplyAsync(Manifests.Group("drifty", "alice"));
        await env.WaitReadyAsync(env.Groups, "drifty");

        await env.CountAsync("WITH changed AS (UPDATE \"AspNetRoles\" SET \"Members\" = ARRAY['mallory'] " +
            "WHERE \"Name\" = 'drifty' RETURNING 1) SELECT count(*) FROM changed");

        await TestCluster.EventuallyAsync(() =>
            env.Metrics("replica-0").DriftCorrections.WithLabels("Group").Value >= 1, "a drift correction");
        // The counter moves before the Event is written: wait for the Event too.
        await TestCluster.EventuallyAsync(async () =>
            (await env.EventsAsync("drifty")).Any(e => e.Reason == "DriftCorrected"), "the DriftCorrected Event");
        Assert.Equal("{alice}", await env.ScalarAsync(
            "SELECT \"Members\"::text FROM \"AspNetRoles\" WHERE \"Name\" = 'drifty'"));
    }

    private static Task<long> RowsAsync(OperatorEnvironment env, string name) =>
        env.CountAsync("SELECT count(*) FROM \"AspNetRoles\" WHERE \"NormalizedName\" = @name",
            ("name", name.ToUpperInvariant()));

    /// <summary>The leader migrates the database before its controllers start; rows can be added after that.</summary>
    private static Task WaitForSchemaAsync(OperatorEnvironment env) => TestCluster.EventuallyAsync(async () =>
        await env.CountAsync("SELECT count(*) FROM information_schema.columns " +
            "WHERE table_name = 'AspNetRoles' AND column_name = 'OwnerName'") == 1, "the migrated schema");
}
