using System.Globalization;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SsoOperator.IdP.Store;

/// <summary>Turns a <see cref="ClientDefinition"/> into OpenIddict's descriptor and names the differences.</summary>
public static class ClientDescriptors
{
    /// <summary>The descriptor for <paramref name="client"/>, without its secret.</summary>
    public static OpenIddictApplicationDescriptor Build(ClientDefinition client)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            DisplayName = client.DisplayName,
            ClientType = client.IsConfidential ? ClientTypes.Confidential : ClientTypes.Public,
            ApplicationType = ApplicationTypes.Web,
            // Note: consent was given by whoever declared the client in Git; there is no consent screen.
            ConsentType = ConsentTypes.Implicit,
        };
        descriptor.RedirectUris.UnionWith(client.RedirectUris);
        descriptor.PostLogoutRedirectUris.UnionWith(client.PostLogoutRedirectUris);
        descriptor.Permissions.UnionWith(PermissionsOf(client));
        // Public clients always need PKCE (RFC 9700, section 2.1.1): they have no secret to bind the code.
        if (client.RequirePkce || !client.IsConfidential)
        {
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
        }
        SetLifetime(descriptor, Settings.TokenLifetimes.AccessToken, client.AccessTokenLifetime);
        SetLifetime(descriptor, Settings.TokenLifetimes.RefreshToken, client.RefreshTokenLifetime);
        return descriptor;
    }

    /// <summary>The definition fields whose stored value differs from the desired one.</summary>
    public static List<string> Differences(
        OpenIddictApplicationDescriptor stored, OpenIddictApplicationDescriptor desired)
    {
        var changed = new List<string>();
        Note(changed, "DisplayName", stored.DisplayName != desired.DisplayName);
        Note(changed, "IsConfidential", stored.ClientType != desired.ClientType);
        Note(changed, "RedirectUris", !stored.RedirectUris.SetEquals(desired.RedirectUris));
        Note(changed, "PostLogoutRedirectUris",
            !stored.PostLogoutRedirectUris.SetEquals(desired.PostLogoutRedirectUris));
        Note(changed, "Scopes", !Prefixed(stored, Permissions.Prefixes.Scope)
            .SetEquals(Prefixed(desired, Permissions.Prefixes.Scope)));
        Note(changed, "GrantTypes", !NotPrefixed(stored, Permissions.Prefixes.Scope)
            .SetEquals(NotPrefixed(desired, Permissions.Prefixes.Scope)));
        Note(changed, "RequirePkce", !stored.Requirements.SetEquals(desired.Requirements));
        Note(changed, "AccessTokenLifetime", Setting(stored, Settings.TokenLifetimes.AccessToken)
            != Setting(desired, Settings.TokenLifetimes.AccessToken));
        Note(changed, "RefreshTokenLifetime", Setting(stored, Settings.TokenLifetimes.RefreshToken)
            != Setting(desired, Settings.TokenLifetimes.RefreshToken));
        Note(changed, "ApplicationType", stored.ApplicationType != desired.ApplicationType
            || stored.ConsentType != desired.ConsentType);
        return changed;
    }

    private static IEnumerable<string> PermissionsOf(ClientDefinition client)
    {
        var grants = client.GrantTypes.ToHashSet(StringComparer.Ordinal);
        foreach (var grant in grants)
        {
            yield return Permissions.Prefixes.GrantType + grant;
        }
        if (grants.Contains(GrantTypes.AuthorizationCode))
        {
            yield return Permissions.Endpoints.Authorization;
            yield return Permissions.Endpoints.EndSession;
            yield return Permissions.ResponseTypes.Code;
        }
        yield return Permissions.Endpoints.Token;
        yield return Permissions.Endpoints.Revocation;
        if (client.IsConfidential)
        {
            yield return Permissions.Endpoints.Introspection;
        }
        foreach (var scope in client.Scopes.Distinct(StringComparer.Ordinal))
        {
            yield return Permissions.Prefixes.Scope + scope;
        }
    }

    private static void SetLifetime(OpenIddictApplicationDescriptor descriptor, string key, TimeSpan? value)
    {
        if (value is { } lifetime)
        {
            descriptor.Settings[key] = lifetime.ToString("c", CultureInfo.InvariantCulture);
        }
    }

    private static string? Setting(OpenIddictApplicationDescriptor descriptor, string key) =>
        descriptor.Settings.TryGetValue(key, out var value) ? value : null;

    private static HashSet<string> Prefixed(OpenIddictApplicationDescriptor d, string prefix) =>
        d.Permissions.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);

    private static HashSet<string> NotPrefixed(OpenIddictApplicationDescriptor d, string prefix) =>
        d.Permissions.Where(p => !p.StartsWith(prefix, StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);

    private static void Note(List<string> changed, string field, bool differs)
    {
        if (differs)
        {
            changed.Add(field);
        }
    }
}
