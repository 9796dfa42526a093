using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using OpenIddict.EntityFrameworkCore.Models;

namespace SsoOperator.IdP.Protocol;

/// <summary>
/// OpenIddict's application manager, remembering successful client secret checks so that repeated token
/// requests with the same secret skip the slow PBKDF2 comparison. The cache key binds the client id, a SHA-256
/// of the presented secret and the stored hash: rotating the secret (a new hash) misses the cache.
/// </summary>
public sealed class CachingApplicationManager(
    IOpenIddictApplicationCache<OpenIddictEntityFrameworkCoreApplication> cache,
    ILogger<OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<OpenIddictEntityFrameworkCoreApplication> store,
    IMemoryCache verified)
    : OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>(cache, logger, options, store)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    public override async ValueTask<bool> ValidateClientSecretAsync(
        OpenIddictEntityFrameworkCoreApplication application, string secret,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var key = CacheKey(application, secret);
        if (verified.TryGetValue(key, out _))
        {
            return true;
        }

        var valid = await base.ValidateClientSecretAsync(application, secret, cancellationToken);
        if (valid)
        {
            verified.Set(key, true, Lifetime);
        }
        return valid;
    }

    private static string CacheKey(OpenIddictEntityFrameworkCoreApplication application, string secret)
    {
        var presented = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
        var stored = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(application.ClientSecret ?? "")));
        return $"client-secret:{application.ClientId}:{presented}:{stored}";
    }
}
