namespace SsoOperator.IdP.Store;

/// <summary>Writes one application record with its access policy.</summary>
internal sealed class ApplicationWriter(IdpDbContext db)
{
    public async Task<UpsertResult> UpsertAsync(ApplicationDefinition app, CancellationToken ct)
    {
        var record = await db.Applications.FindAsync([app.Slug], ct);
        if (record is not null && record.Owner != app.Owner)
        {
            return new UpsertResult(UpsertOutcome.Conflict, record.Owner);
        }

        if (record is null)
        {
            record = new ApplicationRecord
            {
                Slug = app.Slug, DisplayName = app.DisplayName, ClientId = app.ClientId,
                OwnerKind = app.Owner.Kind, OwnerNamespace = app.Owner.Namespace, OwnerName = app.Owner.Name,
            };
            Apply(record, app);
            db.Applications.Add(record);
            await db.SaveChangesAsync(ct);
            return new UpsertResult(UpsertOutcome.Created);
        }

        var changed = Differences(record, app);
        if (changed.Count == 0)
        {
            return new UpsertResult(UpsertOutcome.Unchanged);
        }
        Apply(record, app);
        await db.SaveChangesAsync(ct);
        return new UpsertResult(UpsertOutcome.Updated, Changed: changed);
    }

    public async Task<bool> DeleteAsync(string slug, ResourceOwner owner, CancellationToken ct)
    {
        var record = await db.Applications.FindAsync([slug], ct);
        if (record is null || record.Owner != owner)
        {
            return false;
        }
        db.Applications.Remove(record);
        await db.SaveChangesAsync(ct);
        return true;
    }

    private static List<string> Differences(ApplicationRecord record, ApplicationDefinition app)
    {
        var changed = new List<string>();
        if (record.DisplayName != app.DisplayName) changed.Add(nameof(app.DisplayName));
        if (record.ClientId != app.ClientId) changed.Add(nameof(app.ClientId));
        if (record.LaunchUrl != app.LaunchUrl?.ToString()) changed.Add(nameof(app.LaunchUrl));
        if (record.Icon != app.Icon?.ToString()) changed.Add(nameof(app.Icon));
        if (!record.Groups.SequenceEqual(Normalize(app.Groups))) changed.Add(nameof(app.Groups));
        if (!record.Users.SequenceEqual(Normalize(app.Users))) changed.Add(nameof(app.Users));
        if (record.RequireMfa != app.RequireMfa) changed.Add(nameof(app.RequireMfa));
        return changed;
    }

    private static void Apply(ApplicationRecord record, ApplicationDefinition app)
    {
        record.DisplayName = app.DisplayName;
        record.ClientId = app.ClientId;
        record.LaunchUrl = app.LaunchUrl?.ToString();
        record.Icon = app.Icon?.ToString();
        record.Groups = Normalize(app.Groups);
        record.Users = Normalize(app.Users);
        record.RequireMfa = app.RequireMfa;
        record.UpdatedAt = DateTimeOffset.UtcNow;
    }

    private static List<string> Normalize(IEnumerable<string> names) =>
        [.. names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
