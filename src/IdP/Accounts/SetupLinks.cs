using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Accounts;

/// <summary>
/// Bootstrap without a static back door: while there are no users, each start issues a one-time link that
/// lets one person create the first administrator. Only a hash of the token is stored.
/// </summary>
public sealed partial class SetupLinks(
    IdpDbContext db, UserManager<IdpUser> users, RoleManager<IdpGroup> groups, IOptions<IdpOptions> options,
    TimeProvider clock, ILogger<SetupLinks> logger)
{
    public const string Path = "/setup";
    public const string AdminGroup = "admins";

    /// <summary>Issues a link when there is no user yet; logs it and writes it to the configured file.</summary>
    public async Task<Uri?> IssueIfNeededAsync(Uri issuer, CancellationToken ct)
    {
        if (await db.Users.AnyAsync(ct))
        {
            return null;
        }
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        db.SetupTokens.Add(new SetupTokenRecord
        {
            Id = Guid.NewGuid(), TokenHash = Hash(token), CreatedAt = now,
            ExpiresAt = now + options.Value.SetupLinkLifetime,
        });
        await db.SaveChangesAsync(ct);

        var link = new Uri(issuer, $"{Path.TrimStart('/')}?token={token}");
        LogSetupLink(logger, link, options.Value.SetupLinkLifetime);
        if (options.Value.SetupLinkFile is { Length: > 0 } file)
        {
            await File.WriteAllTextAsync(file, link + "\n", ct);
        }
        return link;
    }

    /// <summary>True while <paramref name="token"/> may still create the first administrator.</summary>
    public async Task<bool> IsValidAsync(string? token, CancellationToken ct) =>
        await FindAsync(token, ct) is not null && !await db.Users.AnyAsync(ct);

    /// <summary>Creates the first administrator and spends the token; errors are for the form.</summary>
    public async Task<(IdpUser? User, IReadOnlyList<string> Errors)> CompleteAsync(
        string? token, string userName, string email, string password, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Serialises concurrent submissions: one link, one administrator.
        await db.Database.ExecuteSqlAsync($"LOCK TABLE sso_setup_tokens IN EXCLUSIVE MODE", ct);
        var record = await FindAsync(token, ct);
        if (record is null || await db.Users.AnyAsync(ct))
        {
            return (null, ["This setup link has expired or was already used."]);
        }

        var user = new IdpUser { UserName = userName, Email = email, EmailConfirmed = true, DisplayName = userName };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return (null, [.. created.Errors.Select(e => e.Description)]);
        }
        if (!await groups.RoleExistsAsync(AdminGroup))
        {
            await groups.CreateAsync(new IdpGroup(AdminGroup));
        }
        await users.AddToRoleAsync(user, AdminGroup);
        record.UsedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        LogCompleted(logger, userName);
        return (user, []);
    }

    private async Task<SetupTokenRecord?> FindAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        var hash = Hash(token);
        var now = clock.GetUtcNow();
        return await db.SetupTokens.SingleOrDefaultAsync(
            t => t.TokenHash == hash && t.UsedAt == null && t.ExpiresAt > now, ct);
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning,
        Message = "No users yet. Create the first administrator within {Lifetime} at: {SetupLink}")]
    private static partial void LogSetupLink(ILogger logger, Uri setupLink, TimeSpan lifetime);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information,
        Message = "Setup completed: administrator {User} created; the setup link is spent")]
    private static partial void LogCompleted(ILogger logger, string user);
}
