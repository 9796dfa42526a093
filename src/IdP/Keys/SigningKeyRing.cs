using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Keys;

/// <summary>
/// The RSA keys tokens are signed ("sig") and encrypted ("enc") with. Stored in the database, each private key
/// protected with ASP.NET Core Data Protection, so every replica and every restart uses the same keys.
/// </summary>
/// <remarks>
/// The ring is read at start-up and again by <see cref="SigningKeyRefresher"/> every check interval, which
/// rebuilds OpenIddict's options when the keys changed.
/// </remarks>
public sealed partial class SigningKeyRing(
    IServiceScopeFactory scopes, IDataProtectionProvider protection, IOptions<IdpOptions> options,
    TimeProvider clock, ILogger<SigningKeyRing> logger)
{
    public const string Signing = "sig";
    public const string Encryption = "enc";
    private const long KeyLockKey = 0x5350_4F4B_4559;
    private readonly IDataProtector protector = protection.CreateProtector("SsoOperator.IdP.SigningKeys.v1");
    private List<SecurityKey>? signingKeys;
    private List<SecurityKey>? encryptionKeys;

    /// <summary>Signing keys, the one that signs first, then the others the JWKS publishes.</summary>
    public IReadOnlyList<SecurityKey> SigningKeys =>
        signingKeys ?? throw new InvalidOperationException("the key ring was not loaded");

    public IReadOnlyList<SecurityKey> EncryptionKeys =>
        encryptionKeys ?? throw new InvalidOperationException("the key ring was not loaded");

    /// <summary>Introduces the keys that are due and loads every key still valid.</summary>
    /// <returns>True when the keys (or the one that signs) differ from those loaded before.</returns>
    public async Task<bool> LoadAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdpDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Two replicas starting together must not both introduce a key.
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({KeyLockKey})", ct);

        var now = clock.GetUtcNow();
        // Expired keys verify nothing any more: remove them.
        await db.SigningKeys.Where(k => k.ExpiresAt <= now).ExecuteDeleteAsync(ct);
        var records = await db.SigningKeys.ToListAsync(ct);
        await RotateAsync(db, records, Signing, now, ct);
        await RotateAsync(db, records, Encryption, now, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);

        var (previousSigning, previousEncryption) = (signingKeys, encryptionKeys);
        signingKeys = Ordered(records, Signing, now);
        encryptionKeys = Ordered(records, Encryption, now);
        var changed = !SameKeys(previousSigning, signingKeys) || !SameKeys(previousEncryption, encryptionKeys);
        if (changed)
        {
            LogLoaded(logger, signingKeys.Count, signingKeys[0].KeyId);
        }
        return changed;
    }

    private static bool SameKeys(List<SecurityKey>? before, List<SecurityKey> after) =>
        before is not null && before.Select(k => k.KeyId).SequenceEqual(after.Select(k => k.KeyId));

    private async Task RotateAsync(
        IdpDbContext db, List<SigningKeyRecord> records, string use, DateTimeOffset now, CancellationToken ct)
    {
        var settings = options.Value.Keys;
        var ofUse = records.Where(k => k.Use == use).ToList();
        var newest = ofUse.MaxBy(k => k.ActivatesAt);
        if (newest is null || !ofUse.Any(k => k.ActivatesAt <= now))
        {
            records.Add(await AddAsync(db, use, activatesAt: now, ct));
            return;
        }
        if (newest.ActivatesAt <= now && now - newest.ActivatesAt >= settings.RotateAfter)
        {
            records.Add(await AddAsync(db, use, activatesAt: now + settings.PublishAhead, ct));
        }
    }

    private async Task<SigningKeyRecord> AddAsync(IdpDbContext db, string use, DateTimeOffset activatesAt,
        CancellationToken ct)
    {
        var settings = options.Value.Keys;
        using var rsa = RSA.Create(2048);
        var record = new SigningKeyRecord
        {
            Id = Guid.NewGuid(),
            Use = use,
            Algorithm = use == Signing ? SecurityAlgorithms.RsaSha256 : SecurityAlgorithms.RsaOAEP,
            ProtectedKey = Convert.ToBase64String(protector.Protect(rsa.ExportPkcs8PrivateKey())),
            CreatedAt = clock.GetUtcNow(),
            ActivatesAt = activatesAt,
            // Signs for RotateAfter (plus slack for a late restart), then verifies for KeepForVerification.
            ExpiresAt = activatesAt + (settings.RotateAfter * 2) + settings.KeepForVerification,
        };
        await db.SigningKeys.AddAsync(record, ct);
        LogIntroduced(logger, use, record.Id, activatesAt);
        return record;
    }

    private List<SecurityKey> Ordered(List<SigningKeyRecord> records, string use, DateTimeOffset now)
    {
        // The newest active key first: OpenIddict signs (and encrypts) with the first key it is given.
        var ofUse = records.Where(k => k.Use == use).ToList();
        var active = ofUse.Where(k => k.ActivatesAt <= now).OrderByDescending(k => k.ActivatesAt);
        var pending = ofUse.Where(k => k.ActivatesAt > now).OrderBy(k => k.ActivatesAt);
        return [.. active.Concat(pending).Select(ToSecurityKey)];
    }

    private RsaSecurityKey ToSecurityKey(SigningKeyRecord record)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(protector.Unprotect(Convert.FromBase64String(record.ProtectedKey)), out _);
        return new RsaSecurityKey(rsa) { KeyId = record.Id.ToString("N") };
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information,
        Message = "Loaded {Count} signing keys; {KeyId} signs new tokens")]
    private static partial void LogLoaded(ILogger logger, int count, string keyId);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information,
        Message = "Introduced {Use} key {KeyId}, active from {ActivatesAt}")]
    private static partial void LogIntroduced(ILogger logger, string use, Guid keyId, DateTimeOffset activatesAt);
}
