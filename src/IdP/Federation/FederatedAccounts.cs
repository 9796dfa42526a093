using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Federation;

/// <summary>What a federated identity is to this IdP.</summary>
public enum AccountOutcome
{
    /// <summary>Linked to a user before: that user signs in.</summary>
    Linked,

    /// <summary>New here, and the source creates users: this user was just created and linked.</summary>
    Created,

    /// <summary>New here, but a local user has the same email: only that user's password may link the two.</summary>
    LinkRequired,

    /// <summary>New here, and the source creates no users.</summary>
    NotKnown,

    /// <summary>Linked to a user an administrator disabled.</summary>
    Disabled,
}

public sealed record AccountMatch(AccountOutcome Outcome, IdpUser? User);

/// <summary>
/// Finds the user a federated identity belongs to, by its link (issuer, sub) in AspNetUserLogins, and creates one
/// when the source allows it. An existing account is never taken over by a matching email.
/// </summary>
public sealed partial class FederatedAccounts(
    UserManager<IdpUser> users, RoleManager<IdpGroup> groups, IdpDbContext db, ILogger<FederatedAccounts> logger)
{
    private const int MaxSuffix = 100;

    public async Task<AccountMatch> FindOrCreateAsync(
        SourceRecord source, ExternalIdentity identity, CancellationToken ct)
    {
        // The stable key: OpenID Connect Core 1.0, section 5.7 names iss + sub as the only unique identifier.
        if (await users.FindByLoginAsync(identity.Issuer, identity.Subject) is { } linked)
        {
            return new AccountMatch(linked.IsDisabled ? AccountOutcome.Disabled : AccountOutcome.Linked, linked);
        }

        // Note: whoever holds an account at the issuer may have typed any address there, verified or not; a
        // matching local account is linked only after its own password (see FederationEndpoints.LinkAsync).
        if (identity.Email is { } email && await OldestWithEmailAsync(email, ct) is { } existing)
        {
            return new AccountMatch(AccountOutcome.LinkRequired, existing);
        }

        if (!source.CreateUsers)
        {
            return new AccountMatch(AccountOutcome.NotKnown, null);
        }
        return new AccountMatch(AccountOutcome.Created, await CreateAsync(source, identity, ct));
    }

    /// <summary>Links the identity to <paramref name="user"/>: from now on it signs in as that user.</summary>
    public async Task LinkAsync(IdpUser user, string issuer, string subject, string sourceName)
    {
        Check(await users.AddLoginAsync(user, new UserLoginInfo(issuer, subject, sourceName)), "link");
    }

    private async Task<IdpUser?> OldestWithEmailAsync(string email, CancellationToken ct)
    {
        var normalized = users.NormalizeEmail(email);
        return await users.Users.Where(u => u.NormalizedEmail == normalized)
            .OrderBy(u => u.CreatedAt).FirstOrDefaultAsync(ct);
    }

    // One transaction: a user without its link (or its groups) would be a stray account nobody can sign in to.
    private async Task<IdpUser> CreateAsync(SourceRecord source, ExternalIdentity identity, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var user = await CreateUserAsync(source, identity);
        await LinkAsync(user, identity.Issuer, identity.Subject, source.DisplayName);
        foreach (var name in source.NewUserGroups)
        {
            await EnsureGroupAsync(name);
            Check(await users.AddToRoleAsync(user, name), "group");
        }
        await transaction.CommitAsync(ct);
        LogCreated(logger, user.UserName!, source.Slug, source.NewUserGroups.Count);
        return user;
    }

    private async Task<IdpUser> CreateUserAsync(SourceRecord source, ExternalIdentity identity)
    {
        var name = UserNames.BaseName(source.UsernameClaim, identity, users.Options.User.AllowedUserNameCharacters);
        for (var suffix = 1; suffix <= MaxSuffix; suffix++)
        {
            var user = new IdpUser
            {
                UserName = suffix == 1 ? name : $"{name}-{suffix}",
                Email = identity.Email,
                EmailConfirmed = identity.Email is not null && identity.EmailVerified,
                DisplayName = identity.Name,
            };
            var result = await users.CreateAsync(user);
            if (result.Succeeded)
            {
                return user;
            }
            if (!result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateUserName)))
            {
                Check(result, "create");
            }
        }
        throw new FederationException("user-name-taken",
            $"No free user name was found for this account (tried {name} up to {name}-{MaxSuffix}).");
    }

    // A group named by newUsers.groups that no Group resource declares yet: created here, owned by nobody.
    private async Task EnsureGroupAsync(string name)
    {
        if (!await groups.RoleExistsAsync(name))
        {
            Check(await groups.CreateAsync(new IdpGroup(name)), "group");
        }
    }

    private static void Check(IdentityResult result, string step)
    {
        if (!result.Succeeded)
        {
            var errors = string.Join("; ", result.Errors.Select(e => e.Description));
            throw new InvalidOperationException($"Identity refused to {step} the federated user: {errors}");
        }
    }

    [LoggerMessage(EventId = 420, Level = LogLevel.Information,
        Message = "Created user {User} on first sign-in through source {Slug}, in {GroupCount} group(s)")]
    private static partial void LogCreated(ILogger logger, string user, string slug, int groupCount);
}
