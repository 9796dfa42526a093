using Microsoft.EntityFrameworkCore;

namespace SsoOperator.IdP.Store;

/// <summary>Writes one group a Group resource owns, with its declared members.</summary>
internal sealed class GroupWriter(IdpDbContext db)
{
    public async Task<UpsertResult> UpsertAsync(GroupDefinition group, CancellationToken ct)
    {
        var normalized = group.Name.ToUpperInvariant();
        var record = await db.Roles.FirstOrDefaultAsync(r => r.NormalizedName == normalized, ct);
        if (record?.Owner is { } holder && holder != group.Owner)
        {
            return new UpsertResult(UpsertOutcome.Conflict, holder);
        }

        var members = Members(group.Members);
        if (record is null)
        {
            db.Roles.Add(Adopt(new IdpGroup(group.Name) { NormalizedName = normalized }, group, members));
            await db.SaveChangesAsync(ct);
            return new UpsertResult(UpsertOutcome.Created);
        }

        var changed = new List<string>();
        if (record.Owner is null) changed.Add("Owner");
        if (record.Name != group.Name) changed.Add(nameof(group.Name));
        if (!record.Members.SequenceEqual(members)) changed.Add(nameof(group.Members));
        if (changed.Count == 0)
        {
            return new UpsertResult(UpsertOutcome.Unchanged);
        }
        record.Name = group.Name;
        Adopt(record, group, members);
        await db.SaveChangesAsync(ct);
        return new UpsertResult(UpsertOutcome.Updated, Changed: changed);
    }

    public async Task<bool> DeleteAsync(string name, ResourceOwner owner, CancellationToken ct)
    {
        var normalized = name.ToUpperInvariant();
        var record = await db.Roles.FirstOrDefaultAsync(r => r.NormalizedName == normalized, ct);
        if (record is null || record.Owner != owner)
        {
            return false;
        }
        // Users assigned to the group (the first admin by the setup link, people a Source created) keep it:
        // removing a Group from Git takes back what Git declared, the members, not what the IdP recorded.
        var assigned = await db.UserRoles.AnyAsync(m => m.RoleId == record.Id, ct);
        if (assigned)
        {
            Release(record);
        }
        else
        {
            db.Roles.Remove(record);
        }
        await db.SaveChangesAsync(ct);
        return true;
    }

    private static void Release(IdpGroup record)
    {
        record.Members = [];
        record.OwnerKind = record.OwnerNamespace = record.OwnerName = null;
        record.UpdatedAt = DateTimeOffset.UtcNow;
    }

    private static IdpGroup Adopt(IdpGroup record, GroupDefinition group, List<string> members)
    {
        record.Members = members;
        record.OwnerKind = group.Owner.Kind;
        record.OwnerNamespace = group.Owner.Namespace;
        record.OwnerName = group.Owner.Name;
        record.UpdatedAt = DateTimeOffset.UtcNow;
        return record;
    }

    // Emails are compared case-insensitively by mail servers in practice; user names are stored as typed.
    private static List<string> Members(IEnumerable<string> members) =>
        NameLists.Normalize(members.Select(m => m.Contains('@', StringComparison.Ordinal)
            ? m.Trim().ToLowerInvariant() : m.Trim()));
}
