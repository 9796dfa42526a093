namespace SsoOperator.IdP.Store;

/// <summary>A configuration row that exactly one custom resource owns.</summary>
public interface IOwnedRow
{
    ResourceOwner Owner { get; }
}

/// <summary>
/// The upsert and delete every owned row shares: a row held by another owner is a Conflict, an equal row is
/// Unchanged and not written, and only the owner may delete. Subclasses say how a definition maps to a row.
/// </summary>
internal abstract class OwnedRowWriter<TRecord, TDefinition>(IdpDbContext db)
    where TRecord : class, IOwnedRow
{
    protected abstract TRecord Create(TDefinition definition);

    /// <summary>The names of the fields that differ; never their values (a secret may be among them).</summary>
    protected abstract List<string> Differences(TRecord record, TDefinition definition);

    protected abstract void Apply(TRecord record, TDefinition definition);

    protected async Task<UpsertResult> UpsertAsync(
        string key, ResourceOwner owner, TDefinition definition, CancellationToken ct)
    {
        var record = await db.Set<TRecord>().FindAsync([key], ct);
        if (record is not null && record.Owner != owner)
        {
            return new UpsertResult(UpsertOutcome.Conflict, record.Owner);
        }

        if (record is null)
        {
            record = Create(definition);
            Apply(record, definition);
            db.Set<TRecord>().Add(record);
            await db.SaveChangesAsync(ct);
            return new UpsertResult(UpsertOutcome.Created);
        }

        var changed = Differences(record, definition);
        if (changed.Count == 0)
        {
            return new UpsertResult(UpsertOutcome.Unchanged);
        }
        Apply(record, definition);
        await db.SaveChangesAsync(ct);
        return new UpsertResult(UpsertOutcome.Updated, Changed: changed);
    }

    public async Task<bool> DeleteAsync(string key, ResourceOwner owner, CancellationToken ct)
    {
        var record = await db.Set<TRecord>().FindAsync([key], ct);
        if (record is null || record.Owner != owner)
        {
            return false;
        }
        db.Set<TRecord>().Remove(record);
        await db.SaveChangesAsync(ct);
        return true;
    }

    protected static List<string> Normalize(IEnumerable<string> names) => NameLists.Normalize(names);
}

/// <summary>Lists are stored sorted and without repeats, so that their order in a spec is not drift.</summary>
internal static class NameLists
{
    public static List<string> Normalize(IEnumerable<string> names) =>
        [.. names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
