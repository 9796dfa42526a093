namespace SsoOperator.IdP.Store;

/// <summary>Writes one federated login (Source) row.</summary>
internal sealed class SourceWriter(IdpDbContext db)
{
    public async Task<UpsertResult> UpsertAsync(SourceDefinition source, CancellationToken ct)
    {
        var record = await db.Sources.FindAsync([source.Slug], ct);
        if (record is not null && record.Owner != source.Owner)
        {
            return new UpsertResult(UpsertOutcome.Conflict, record.Owner);
        }

        if (record is null)
        {
            record = new SourceRecord
            {
                Slug = source.Slug, DisplayName = source.DisplayName, Issuer = Exact(source.Issuer),
                ClientId = source.ClientId, ClientSecret = source.ClientSecret, UsernameClaim = source.UsernameClaim,
                OwnerKind = source.Owner.Kind, OwnerNamespace = source.Owner.Namespace, OwnerName = source.Owner.Name,
            };
            Apply(record, source);
            db.Sources.Add(record);
            await db.SaveChangesAsync(ct);
            return new UpsertResult(UpsertOutcome.Created);
        }

        var changed = Differences(record, source);
        if (changed.Count == 0)
        {
            return new UpsertResult(UpsertOutcome.Unchanged);
        }
        Apply(record, source);
        await db.SaveChangesAsync(ct);
        return new UpsertResult(UpsertOutcome.Updated, Changed: changed);
    }

    public async Task<bool> DeleteAsync(string slug, ResourceOwner owner, CancellationToken ct)
    {
        var record = await db.Sources.FindAsync([slug], ct);
        if (record is null || record.Owner != owner)
        {
            return false;
        }
        db.Sources.Remove(record);
        await db.SaveChangesAsync(ct);
        return true;
    }

    // Field names only: the secret itself never appears in what an upsert reports.
    private static List<string> Differences(SourceRecord record, SourceDefinition source)
    {
        var changed = new List<string>();
        if (record.DisplayName != source.DisplayName) changed.Add(nameof(source.DisplayName));
        if (record.Issuer != Exact(source.Issuer)) changed.Add(nameof(source.Issuer));
        if (record.ClientId != source.ClientId) changed.Add(nameof(source.ClientId));
        if (record.ClientSecret != source.ClientSecret) changed.Add(nameof(source.ClientSecret));
        if (!record.Scopes.SequenceEqual(Normalize(source.Scopes))) changed.Add(nameof(source.Scopes));
        if (record.HostedDomain != source.HostedDomain) changed.Add(nameof(source.HostedDomain));
        if (record.UsernameClaim != source.UsernameClaim) changed.Add(nameof(source.UsernameClaim));
        if (record.CreateUsers != source.CreateUsers) changed.Add(nameof(source.CreateUsers));
        if (!record.NewUserGroups.SequenceEqual(Normalize(source.NewUserGroups)))
        {
            changed.Add(nameof(source.NewUserGroups));
        }
        return changed;
    }

    private static void Apply(SourceRecord record, SourceDefinition source)
    {
        record.DisplayName = source.DisplayName;
        record.Issuer = Exact(source.Issuer);
        record.ClientId = source.ClientId;
        record.ClientSecret = source.ClientSecret;
        record.Scopes = Normalize(source.Scopes);
        record.HostedDomain = source.HostedDomain;
        record.UsernameClaim = source.UsernameClaim;
        record.CreateUsers = source.CreateUsers;
        record.NewUserGroups = Normalize(source.NewUserGroups);
        record.UpdatedAt = DateTimeOffset.UtcNow;
    }

    // OpenID Connect Discovery 1.0, section 4.3: the issuer must match the iss claim exactly. Uri.AbsoluteUri would
    // add a slash to https://accounts.google.com, which Google's ID tokens do not carry.
    private static string Exact(Uri issuer) => issuer.OriginalString;

    internal static List<string> Normalize(IEnumerable<string> names) =>
        [.. names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
