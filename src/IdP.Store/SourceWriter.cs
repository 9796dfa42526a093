namespace SsoOperator.IdP.Store;

/// <summary>Writes one federated login (Source) row.</summary>
internal sealed class SourceWriter(IdpDbContext db) : OwnedRowWriter<SourceRecord, SourceDefinition>(db)
{
    public Task<UpsertResult> UpsertAsync(SourceDefinition source, CancellationToken ct) =>
        UpsertAsync(source.Slug, source.Owner, source, ct);

    protected override SourceRecord Create(SourceDefinition source) => new()
    {
        Slug = source.Slug, DisplayName = source.DisplayName, Issuer = Exact(source.Issuer),
        ClientId = source.ClientId, ClientSecret = source.ClientSecret, UsernameClaim = source.UsernameClaim,
        OwnerKind = source.Owner.Kind, OwnerNamespace = source.Owner.Namespace, OwnerName = source.Owner.Name,
    };

    protected override List<string> Differences(SourceRecord record, SourceDefinition source)
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

    protected override void Apply(SourceRecord record, SourceDefinition source)
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
}
