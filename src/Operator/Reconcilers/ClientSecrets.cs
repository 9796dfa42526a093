using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Models;
using SsoOperator.Crds;
using SsoOperator.Operator.Runtime;

namespace SsoOperator.Operator.Reconcilers;

/// <summary>
/// Finds a client secret: read from the Secret a Provider or Source references, or generated once into a
/// Secret the Provider owns (keys clientId, clientSecret, issuer) and kept from then on. Values never
/// leave this class except as the returned secret; failures name Secrets and keys, never values.
/// A proxy Provider's secret (the outpost's client) is always generated, into
/// <see cref="ProxySecretName"/>.
/// </summary>
public sealed class ClientSecrets(IKubernetes client, IResourceApi<V1Secret> secrets, OperatorOptions options)
{
    public const string ClientIdKey = "clientId";
    public const string ClientSecretKey = "clientSecret";
    public const string IssuerKey = "issuer";

    /// <summary>The secret to register, or why there is none yet (a reason and a message).</summary>
    public async Task<SecretResolution> ResolveAsync(Provider provider, CancellationToken cancellationToken)
    {
        if (provider.Spec.Proxy is not null)
        {
            return await GenerateAsync(provider, ProxySecretName(provider), "the generated proxy client Secret",
                cancellationToken);
        }
        var source = provider.Spec.OAuth2?.ClientSecret;
        if (provider.Spec.OAuth2?.ClientType == ClientType.Public || source is null)
        {
            return SecretResolution.None;
        }
        return source.SecretRef is { } reference
            ? await ReadAsync(provider.Metadata.NamespaceProperty, reference, "spec.oauth2.clientSecret.secretRef",
                cancellationToken)
            : await GenerateAsync(provider, source.Generate!.SecretName,
                "spec.oauth2.clientSecret.generate.secretName", cancellationToken);
    }

    /// <summary>The Secret a proxy Provider's generated client secret lives in.</summary>
    public static string ProxySecretName(Provider provider) => $"{provider.Metadata.Name}-proxy-client";

    /// <summary>
    /// Reads the value of a Secret key that a resource in <paramref name="ns"/> references at
    /// <paramref name="field"/> (such as spec.oidc.clientSecret.secretRef); failures name the field's name and key.
    /// </summary>
    public async Task<SecretResolution> ReadAsync(string ns, SecretKeyReference reference, string field,
        CancellationToken cancellationToken)
    {
        var secret = await secrets.GetAsync(new ObjectKey(ns, reference.Name), cancellationToken);
        if (secret is null)
        {
            return SecretResolution.Failed(Reasons.SecretNotFound,
                $"Secret {ns}/{reference.Name} ({field}.name) was not found");
        }
        if (secret.Data?.TryGetValue(reference.Key, out var value) != true || value is not { Length: > 0 })
        {
            return SecretResolution.Failed(Reasons.SecretKeyNotFound,
                $"Secret {ns}/{reference.Name} has no key {reference.Key} ({field}.key)");
        }
        return SecretResolution.Found(Encoding.UTF8.GetString(value));
    }

    private async Task<SecretResolution> GenerateAsync(Provider provider, string name, string field,
        CancellationToken cancellationToken)
    {
        var ns = provider.Metadata.NamespaceProperty;
        var existing = await secrets.GetAsync(new ObjectKey(ns, name), cancellationToken);
        if (existing is null)
        {
            var value = NewSecret();
            await client.CoreV1.CreateNamespacedSecretAsync(Generated(provider, name, value), ns,
                cancellationToken: cancellationToken);
            return SecretResolution.Found(value, created: true);
        }
        if (existing.OwnerReferences()?.Any(o => o.Uid == provider.Metadata.Uid) != true)
        {
            return SecretResolution.Failed(Reasons.InvalidSpec,
                $"Secret {ns}/{name} ({field}) exists and is not owned " +
                "by this Provider; choose another name or delete that Secret");
        }
        if (existing.Data?.TryGetValue(ClientSecretKey, out var kept) != true || kept is not { Length: > 0 })
        {
            return SecretResolution.Failed(Reasons.SecretKeyNotFound,
                $"Secret {ns}/{name} lost its {ClientSecretKey} key; delete the Secret to generate a new one");
        }
        await RefreshPublicKeysAsync(provider, existing, cancellationToken);
        return SecretResolution.Found(Encoding.UTF8.GetString(kept));
    }

    /// <summary>Keeps clientId and issuer current when they change; the secret itself never changes.</summary>
    private async Task RefreshPublicKeysAsync(Provider provider, V1Secret secret, CancellationToken token)
    {
        var wanted = PublicKeys(provider);
        var current = wanted.Keys.ToDictionary(k => k,
            k => secret.Data?.TryGetValue(k, out var v) == true ? Encoding.UTF8.GetString(v) : null);
        if (wanted.All(pair => current[pair.Key] == pair.Value))
        {
            return;
        }
        await secrets.PatchAsync(ObjectKey.Of(secret), new { stringData = wanted }, token);
    }

    private V1Secret Generated(Provider provider, string name, string value) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = provider.Metadata.NamespaceProperty,
            Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "ssooperator" },
            OwnerReferences =
            [
                new V1OwnerReference
                {
                    ApiVersion = provider.ApiVersion, Kind = provider.Kind, Name = provider.Metadata.Name,
                    Uid = provider.Metadata.Uid, BlockOwnerDeletion = true, Controller = true,
                },
            ],
        },
        Type = "Opaque",
        StringData = new Dictionary<string, string>(PublicKeys(provider)) { [ClientSecretKey] = value },
    };

    private Dictionary<string, string> PublicKeys(Provider provider) => new()
    {
        [ClientIdKey] = provider.EffectiveClientId,
        [IssuerKey] = options.Issuer,
    };

    // 32 random bytes, base64url: 256 bits, safe in URLs, headers and form posts.
    private static string NewSecret() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>The outcome of looking for a client secret.</summary>
public sealed record SecretResolution(string? Secret, string? Reason, string? Message, bool Created = false)
{
    public static SecretResolution None { get; } = new(null, null, null);

    public bool IsFailure => Reason is not null;

    public static SecretResolution Found(string secret, bool created = false) => new(secret, null, null, created);

    public static SecretResolution Failed(string reason, string message) => new(null, reason, message);

    // Note: records print their members; this one must never print the secret.
    public override string ToString() => IsFailure ? $"{Reason}: {Message}" : "secret resolved";
}
