using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Mfa;

/// <summary>
/// A user's authenticator and recovery codes. Every "accept once" is a single conditional UPDATE, so two
/// requests racing with the same code cannot both win: the database lets exactly one row change.
/// </summary>
public sealed class MfaStore(IdpDbContext db, IDataProtectionProvider protection, TimeProvider clock)
{
    private readonly IDataProtector protector = protection.CreateProtector("SsoOperator.IdP.Mfa.TotpSecret.v1");

    /// <summary>The user's confirmed authenticator, or null.</summary>
    public Task<MfaDeviceRecord?> ConfirmedDeviceAsync(string userId, CancellationToken ct) =>
        db.MfaDevices.AsNoTracking().SingleOrDefaultAsync(d => d.UserId == userId && d.ConfirmedAt != null, ct);

    /// <summary>
    /// The authenticator waiting for its first code, created on first call; null when the user already has a
    /// confirmed one (a second device would let whoever knows the password replace the first).
    /// </summary>
    public async Task<MfaDeviceRecord?> PendingDeviceAsync(string userId, CancellationToken ct)
    {
        var device = await db.MfaDevices.AsNoTracking().SingleOrDefaultAsync(d => d.UserId == userId, ct);
        if (device is not null)
        {
            return device.ConfirmedAt is null ? device : null;
        }
        device = new MfaDeviceRecord
        {
            Id = Guid.NewGuid(), UserId = userId, CreatedAt = clock.GetUtcNow(),
            ProtectedSecret = protector.Protect(Convert.ToBase64String(TotpCodes.NewSecret())),
        };
        db.MfaDevices.Add(device);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException
            { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Note: two tabs enrolling at once; the unique index on user id kept one, so use that one.
            db.ChangeTracker.Clear();
            return await PendingDeviceAsync(userId, ct);
        }
        return device;
    }

    public byte[] Secret(MfaDeviceRecord device) =>
        Convert.FromBase64String(protector.Unprotect(device.ProtectedSecret));

    /// <summary>
    /// Accepts <paramref name="code"/> once for a confirmed device, or, with <paramref name="confirm"/>, as
    /// the first code of a pending one (which confirms it).
    /// </summary>
    public async Task<bool> TryAcceptCodeAsync(MfaDeviceRecord device, string code, bool confirm,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (TotpCodes.Match(Secret(device), code, now) is not { } step)
        {
            return false;
        }
        var rows = db.MfaDevices.Where(d => d.Id == device.Id && (d.LastStep == null || d.LastStep < step));
        rows = confirm ? rows.Where(d => d.ConfirmedAt == null) : rows.Where(d => d.ConfirmedAt != null);
        var changed = confirm
            ? await rows.ExecuteUpdateAsync(s => s.SetProperty(d => d.LastStep, step)
                .SetProperty(d => d.ConfirmedAt, now), ct)
            : await rows.ExecuteUpdateAsync(s => s.SetProperty(d => d.LastStep, step), ct);
        return changed == 1;
    }

    /// <summary>Replaces the user's recovery codes with new ones and returns them; only hashes are kept.</summary>
    public async Task<IReadOnlyList<string>> NewRecoveryCodesAsync(string userId, int count, CancellationToken ct)
    {
        var codes = Enumerable.Range(0, count).Select(_ => RecoveryCodes.New()).Distinct().ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.RecoveryCodes.Where(c => c.UserId == userId).ExecuteDeleteAsync(ct);
        db.RecoveryCodes.AddRange(codes.Select(code => new RecoveryCodeRecord
        {
            Id = Guid.NewGuid(), UserId = userId, CodeHash = RecoveryCodes.Hash(userId, code),
            CreatedAt = clock.GetUtcNow(),
        }));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return codes;
    }

    /// <summary>Marks the recovery code used; true only for the one request that did so.</summary>
    public async Task<bool> TryUseRecoveryCodeAsync(string userId, string code, CancellationToken ct)
    {
        var hash = RecoveryCodes.Hash(userId, code);
        var now = clock.GetUtcNow();
        var changed = await db.RecoveryCodes
            .Where(c => c.UserId == userId && c.CodeHash == hash && c.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), ct);
        return changed == 1;
    }

    public Task<int> UnusedRecoveryCodesAsync(string userId, CancellationToken ct) =>
        db.RecoveryCodes.CountAsync(c => c.UserId == userId && c.UsedAt == null, ct);

    /// <summary>Removes the authenticator and every recovery code; returns whether there was a device.</summary>
    public async Task<bool> RemoveAsync(string userId, CancellationToken ct)
    {
        await db.RecoveryCodes.Where(c => c.UserId == userId).ExecuteDeleteAsync(ct);
        return await db.MfaDevices.Where(d => d.UserId == userId).ExecuteDeleteAsync(ct) > 0;
    }
}
