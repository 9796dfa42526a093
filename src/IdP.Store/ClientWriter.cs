using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;

namespace SsoOperator.IdP.Store;

/// <summary>Writes one client: the OpenIddict application and our registration row, in one transaction.</summary>
internal sealed class ClientWriter(IdpDbContext db, IOpenIddictApplicationManager manager)
{
    public async Task<UpsertResult> UpsertAsync(ClientDefinition client, CancellationToken ct)
    {
        var registration = await db.ClientRegistrations.FindAsync([client.ClientId], ct);
        var application = (OpenIddictEntityFrameworkCoreApplication?)
            await manager.FindByClientIdAsync(client.ClientId, ct);

        // First holder keeps the id.
        if (registration is not null && registration.Owner != client.Owner)
        {
            return new UpsertResult(UpsertOutcome.Conflict, registration.Owner);
        }

        var desired = ClientDescriptors.Build(client);
        if (application is null)
        {
            await CreateAsync(client, desired, registration, ct);
            return new UpsertResult(UpsertOutcome.Created);
        }

        var changed = await DifferencesAsync(client, desired, application, registration, ct);
        if (changed.Count == 0)
        {
            return new UpsertResult(UpsertOutcome.Unchanged);
        }
        await UpdateAsync(client, desired, application, registration, changed, ct);
        return new UpsertResult(UpsertOutcome.Updated, Changed: changed);
    }

    public async Task<bool> DeleteAsync(string clientId, ResourceOwner owner, CancellationToken ct)
    {
        var registration = await db.ClientRegistrations.FindAsync([clientId], ct);
        if (registration is null || registration.Owner != owner)
        {
            return false;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await manager.FindByClientIdAsync(clientId, ct) is { } application)
        {
            // Note: OpenIddict's store removes the client's authorizations and tokens with it.
            await manager.DeleteAsync(application, ct);
        }
        db.ClientRegistrations.Remove(registration);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    private async Task<List<string>> DifferencesAsync(
        ClientDefinition client, OpenIddictApplicationDescriptor desired,
        OpenIddictEntityFrameworkCoreApplication application, ClientRegistration? registration, CancellationToken ct)
    {
        var stored = new OpenIddictApplicationDescriptor();
        await manager.PopulateAsync(stored, application, ct);

        var changed = ClientDescriptors.Differences(stored, desired);
        if (registration is null)
        {
            // Note: a client nobody registered (left by hand or by an older version) is adopted.
            changed.Add("Owner");
            return changed;
        }
        if (!registration.TokenEndpointAuthMethods.SequenceEqual(Normalize(client.TokenEndpointAuthMethods)))
        {
            changed.Add("TokenEndpointAuthMethods");
        }
        if (!SecretFingerprint.Matches(registration, Secret(client), application.ClientSecret))
        {
            changed.Add("ClientSecret");
        }
        return changed;
    }

    private async Task CreateAsync(
        ClientDefinition client, OpenIddictApplicationDescriptor desired, ClientRegistration? registration,
        CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        desired.ClientSecret = Secret(client);
        var application = (OpenIddictEntityFrameworkCoreApplication)await manager.CreateAsync(desired, ct);

        registration ??= db.ClientRegistrations.Add(NewRegistration(client)).Entity;
        Record(registration, client, application.ClientSecret);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    private async Task UpdateAsync(
        ClientDefinition client, OpenIddictApplicationDescriptor desired,
        OpenIddictEntityFrameworkCoreApplication application, ClientRegistration? registration,
        List<string> changed, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var secret = Secret(client);
        var secretChanged = changed.Contains("ClientSecret") || registration is null;

        // The slow hash is paid only when the secret really changed.
        desired.ClientSecret = secretChanged ? null : application.ClientSecret;
        await manager.PopulateAsync(application, desired, ct);
        if (secretChanged && secret is not null)
        {
            await manager.UpdateAsync(application, secret, ct);
        }
        else
        {
            await manager.UpdateAsync(application, ct);
        }

        registration ??= db.ClientRegistrations.Add(NewRegistration(client)).Entity;
        Record(registration, client, application.ClientSecret);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    private static ClientRegistration NewRegistration(ClientDefinition client) => new()
    {
        ClientId = client.ClientId,
        OwnerKind = client.Owner.Kind,
        OwnerNamespace = client.Owner.Namespace,
        OwnerName = client.Owner.Name,
    };

    private static void Record(ClientRegistration registration, ClientDefinition client, string? storedHash)
    {
        var secret = Secret(client);
        registration.TokenEndpointAuthMethods = Normalize(client.TokenEndpointAuthMethods);
        registration.SecretSalt = secret is null ? null : SecretFingerprint.NewSalt();
        registration.SecretFingerprint =
            secret is null ? null : SecretFingerprint.Compute(registration.SecretSalt!, secret);
        registration.StoredSecretDigest = secret is null ? null : SecretFingerprint.DigestOfStoredHash(storedHash);
        registration.UpdatedAt = DateTimeOffset.UtcNow;
    }

    // A public client has no secret, whatever the definition carries.
    private static string? Secret(ClientDefinition client) =>
        client.IsConfidential && !string.IsNullOrEmpty(client.ClientSecret) ? client.ClientSecret : null;

    private static List<string> Normalize(IEnumerable<string> methods) =>
        [.. methods.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
