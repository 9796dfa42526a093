using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace SsoOperator.Outpost.Sessions;

/// <summary>
/// Data Protection providers keyed by the shared session keys. A config revision that keeps its keys
/// keeps its provider; a rotation builds a new one.
/// </summary>
public sealed class SessionProtection
{
    private const string ApplicationName = "SsoOperator.Outpost";
    private readonly ConcurrentDictionary<string, IDataProtectionProvider> providers = new();

    public IDataProtectionProvider For(IReadOnlyList<byte[]> keys)
    {
        var fingerprint = Fingerprint(keys);
        return providers.GetOrAdd(fingerprint, _ => Build(keys));
    }

    private static IDataProtectionProvider Build(IReadOnlyList<byte[]> keys)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .DisableAutomaticKeyGeneration();
        services.Configure<KeyManagementOptions>(o => o.XmlRepository = new SharedKeyRepository(keys));
        // Note: the provider lives as long as the process; rotations are rare and each is a few objects.
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>();
    }

    private static string Fingerprint(IReadOnlyList<byte[]> keys)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var key in keys)
        {
            hash.AppendData(SHA256.HashData(key));
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
