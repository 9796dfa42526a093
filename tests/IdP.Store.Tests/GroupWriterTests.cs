using Microsoft.EntityFrameworkCore;

namespace SsoOperator.IdP.Store.Tests;

public sealed class GroupWriterTests(StoreDatabase database) : IClassFixture<StoreDatabase>
{
    private static readonly ResourceOwner Owner = new("Group", "sso", "admins");
    private static readonly ResourceOwner Other = new("Group", "other", "admins");

    private IConfigurationStore Store => database.Store;

    [Fact]
    public async Task Upsert_NewThenSameMembersReordered_CreatedThenUnchanged()
    {
        var group = new GroupDefinition(Name("same"), ["bob", "Alice@Example.com"], Owner);

        var first = await Store.UpsertGroupAsync(group, default);
        var second = await Store.UpsertGroupAsync(group with { Members = ["alice@example.com", "bob"] }, default);

        Assert.Equal(UpsertOutcome.Created, first.Outcome);
        Assert.Equal(UpsertOutcome.Unchanged, second.Outcome);
        var stored = await RecordAsync(group.Name);
        Assert.Equal(["alice@example.com", "bob"], stored.Members);
        Assert.Equal(Owner, stored.Owner);
    }

    [Fact]
    public async Task Upsert_MembersChanged_UpdatedNamesMembers()
    {
        var group = new GroupDefinition(Name("update"), ["alice"], Owner);
        await Store.UpsertGroupAsync(group, default);

        var result = await Store.UpsertGroupAsync(group with { Members = ["alice", "carol"] }, default);

        Assert.Equal(UpsertOutcome.Updated, result.Outcome);
        Assert.Equal(["Members"], result.Changed);
        Assert.Equal(["alice", "carol"], (await RecordAsync(group.Name)).Members);
    }

    [Fact]
    public async Task Upsert_UnownedGroupOfThatName_AdoptedWithOwnerInChanged()
    {
        var name = Name("adopt");
        await database.WithDbAsync(async (db, _) =>
        {
            db.Roles.Add(new IdpGroup(name) { NormalizedName = name.ToUpperInvariant() });
            return await db.SaveChangesAsync();
        });

        var result = await Store.UpsertGroupAsync(new GroupDefinition(name, ["alice"], Owner), default);

        Assert.Equal(UpsertOutcome.Updated, result.Outcome);
        Assert.Equal(["Owner", "Members"], result.Changed);
        Assert.Equal(Owner, (await RecordAsync(name)).Owner);
    }

    [Fact]
    public async Task Upsert_HeldByAnotherOwnerInAnyCase_ConflictNamesHolder()
    {
        var group = new GroupDefinition(Name("held"), ["alice"], Owner);
        await Store.UpsertGroupAsync(group, default);

        var result = await Store.UpsertGroupAsync(new GroupDefinition(group.Name.ToUpperInvariant(), [], Other),
            default);

        Assert.Equal(UpsertOutcome.Conflict, result.Outcome);
        Assert.Equal(Owner, result.HeldBy);
        Assert.Equal(["alice"], (await RecordAsync(group.Name)).Members);
    }

    [Fact]
    public async Task Delete_ByOtherOwnerThenByOwner_FalseThenTrueAndGone()
    {
        var group = new GroupDefinition(Name("delete"), ["alice"], Owner);
        await Store.UpsertGroupAsync(group, default);

        var byOther = await Store.DeleteGroupAsync(group.Name, Other, default);
        var byOwner = await Store.DeleteGroupAsync(group.Name, Owner, default);
        var again = await Store.DeleteGroupAsync(group.Name, Owner, default);

        Assert.Equal((false, true, false), (byOther, byOwner, again));
        Assert.False(await database.WithDbAsync((db, _) => db.Roles.AnyAsync(r => r.Name == group.Name)));
    }

    [Fact]
    public async Task Delete_GroupWithAssignedMembers_ReleasedWithTheirMembershipsKept()
    {
        var name = Name("assigned");
        var userId = await database.WithDbAsync(async (db, _) =>
        {
            var user = new IdpUser { UserName = Name("first-admin") };
            var role = new IdpGroup(name) { NormalizedName = name.ToUpperInvariant() };
            db.AddRange(user, role);
            db.UserRoles.Add(new() { UserId = user.Id, RoleId = role.Id });
            await db.SaveChangesAsync();
            return user.Id;
        });
        await Store.UpsertGroupAsync(new GroupDefinition(name, ["alice@example.com"], Owner), default);

        var deleted = await Store.DeleteGroupAsync(name, Owner, default);

        Assert.True(deleted);
        var stored = await RecordAsync(name);
        Assert.Null(stored.Owner);
        Assert.Empty(stored.Members);
        Assert.True(await database.WithDbAsync((db, _) =>
            db.UserRoles.AnyAsync(m => m.UserId == userId && m.RoleId == stored.Id)));
    }

    private static string Name(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private Task<IdpGroup> RecordAsync(string name) => database.WithDbAsync((db, _) =>
        db.Roles.AsNoTracking().SingleAsync(r => r.NormalizedName == name.ToUpperInvariant()));
}
