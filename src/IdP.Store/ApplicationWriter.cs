namespace SsoOperator.IdP.Store;

/// <summary>Writes one application record with its access policy.</summary>
internal sealed class ApplicationWriter(IdpDbContext db) : OwnedRowWriter<ApplicationRecord, ApplicationDefinition>(db)
{
    public Task<UpsertResult> UpsertAsync(ApplicationDefinition app, CancellationToken ct) =>
        UpsertAsync(app.Slug, app.Owner, app, ct);

    protected override ApplicationRecord Create(ApplicationDefinition app) => new()
    {
        Slug = app.Slug, DisplayName = app.DisplayName, ClientId = app.ClientId,
        OwnerKind = app.Owner.Kind, OwnerNamespace = app.Owner.Namespace, OwnerName = app.Owner.Name,
    };

    protected override List<string> Differences(ApplicationRecord record, ApplicationDefinition app)
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

    protected override void Apply(ApplicationRecord record, ApplicationDefinition app)
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
}
