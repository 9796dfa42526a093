namespace SsoOperator.IdP.Store;

/// <summary>The custom resource that owns a row; only its owner may change or delete it.</summary>
public sealed record ResourceOwner(string Kind, string Namespace, string Name)
{
    public override string ToString() => $"{Kind} {Namespace}/{Name}";
}

/// <summary>An OAuth2/OIDC client as a Provider resource declares it.</summary>
public sealed record ClientDefinition(
    string ClientId,
    string DisplayName,
    bool IsConfidential,
    string? ClientSecret, // plaintext; the store keeps a slow hash and a salted fingerprint
    IReadOnlyList<Uri> RedirectUris,
    IReadOnlyList<Uri> PostLogoutRedirectUris,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> GrantTypes, // authorization_code, refresh_token, client_credentials
    bool RequirePkce,
    IReadOnlyList<string> TokenEndpointAuthMethods, // client_secret_basic, client_secret_post
    TimeSpan? AccessTokenLifetime,
    TimeSpan? RefreshTokenLifetime,
    ResourceOwner Owner);

/// <summary>An application record (what the portal shows) with its access policy.</summary>
public sealed record ApplicationDefinition(
    string Slug,
    string DisplayName,
    string ClientId,
    Uri? LaunchUrl,
    Uri? Icon,
    IReadOnlyList<string> Groups, // members of these groups may sign in
    IReadOnlyList<string> Users, // and these user names
    bool RequireMfa,
    ResourceOwner Owner);

/// <summary>A federated login as a Source resource declares it.</summary>
public sealed record SourceDefinition(
    string Slug,
    string DisplayName,
    Uri Issuer,
    string ClientId,
    string ClientSecret, // plaintext: the IdP presents it to the issuer
    IReadOnlyList<string> Scopes,
    string? HostedDomain,
    string UsernameClaim, // email | preferred_username
    bool CreateUsers,
    IReadOnlyList<string> NewUserGroups,
    ResourceOwner Owner);

/// <summary>A group as a Group resource declares it: its name and its members (user names or emails).</summary>
public sealed record GroupDefinition(string Name, IReadOnlyList<string> Members, ResourceOwner Owner);

public enum UpsertOutcome
{
    Created,
    Updated,
    Unchanged,
    Conflict,
}

/// <summary>
/// What an upsert did. <see cref="HeldBy"/> names the owner that holds the id on a Conflict;
/// <see cref="Changed"/> lists the fields an Update corrected.
/// </summary>
public sealed record UpsertResult(
    UpsertOutcome Outcome, ResourceOwner? HeldBy = null, IReadOnlyList<string>? Changed = null);

/// <summary>
/// The configuration tables as the operator sees them. Every call is idempotent: writing the state that
/// is already stored returns <see cref="UpsertOutcome.Unchanged"/> without touching the database.
/// </summary>
public interface IConfigurationStore
{
    /// <summary>Applies pending migrations; safe to call from several processes at once.</summary>
    Task MigrateAsync(CancellationToken ct);

    Task<UpsertResult> UpsertClientAsync(ClientDefinition client, CancellationToken ct);

    /// <summary>Deletes the client (and its tokens) when <paramref name="owner"/> holds it.</summary>
    /// <returns>True when a row was removed; false when this owner held nothing under that id.</returns>
    Task<bool> DeleteClientAsync(string clientId, ResourceOwner owner, CancellationToken ct);

    Task<UpsertResult> UpsertApplicationAsync(ApplicationDefinition app, CancellationToken ct);

    /// <returns>True when a row was removed; false when this owner held nothing under that slug.</returns>
    Task<bool> DeleteApplicationAsync(string slug, ResourceOwner owner, CancellationToken ct);

    Task<UpsertResult> UpsertSourceAsync(SourceDefinition source, CancellationToken ct);

    /// <returns>True when a row was removed; false when this owner held nothing under that slug.</returns>
    Task<bool> DeleteSourceAsync(string slug, ResourceOwner owner, CancellationToken ct);

    /// <summary>Takes over a group of that name no resource owns; Conflict when another resource owns it.</summary>
    Task<UpsertResult> UpsertGroupAsync(GroupDefinition group, CancellationToken ct);

    /// <summary>
    /// Takes back the declared members; the group itself goes unless users were assigned to it (setup link, a
    /// Source), in which case it stays, owned by nobody.
    /// </summary>
    /// <returns>True when this owner held the group; false when it held nothing under that name.</returns>
    Task<bool> DeleteGroupAsync(string name, ResourceOwner owner, CancellationToken ct);
}
