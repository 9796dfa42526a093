using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SsoOperator.IdP.Hosting;
using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Accounts;

/// <summary>
/// `remove-from-group --user NAME --group GROUP`: an administrator takes back a membership the IdP recorded
/// (a Source's newUsers.groups, the setup link's admins), which Git cannot, since Git never declared it. Runs
/// with the IdP's own configuration, e.g. `kubectl exec deploy/idp -- ./SsoOperator.IdP remove-from-group ...`.
/// </summary>
public static class RemoveFromGroupCommand
{
    public const string Verb = "remove-from-group";

    public static bool Matches(string[] args) => args is [Verb, ..];

    /// <summary>Returns the process exit code: 0 removed, 1 no such user or not assigned, 2 usage.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (AdminCommandLine.Parse(args, Verb, "--user", "--group") is not { } command)
        {
            await output.WriteLineAsync(
                $"usage: SsoOperator.IdP {Verb} --user NAME --group GROUP [configuration overrides]");
            return 2;
        }
        var groupName = command.Options["--group"];

        await using var app = command.BuildServices();
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>();
        if (await command.FindUserAsync(users, output) is not { } user)
        {
            return 1;
        }

        var removed = await RemoveAssignedAsync(users, user, groupName, output);
        await ReportDeclaredAsync(scope.ServiceProvider.GetRequiredService<IdpDbContext>(), user, groupName, output,
            ct);
        return removed ? 0 : 1;
    }

    private static async Task<bool> RemoveAssignedAsync(
        UserManager<IdpUser> users, IdpUser user, string groupName, TextWriter output)
    {
        if (!await users.IsInRoleAsync(user, groupName))
        {
            await output.WriteLineAsync($"{user.UserName} was not put in {groupName} by the IdP; nothing removed.");
            return false;
        }
        await users.RemoveFromRoleAsync(user, groupName);
        // A new security stamp ends the user's sessions at their next check, so the next sign-in lacks the group.
        await users.UpdateSecurityStampAsync(user);
        await output.WriteLineAsync($"Removed {user.UserName} from {groupName}; tokens already issued keep the " +
            "group until they expire.");
        return true;
    }

    // A Group resource may list the user too: that membership lives in Git, so this command only points at it.
    private static async Task ReportDeclaredAsync(
        IdpDbContext db, IdpUser user, string groupName, TextWriter output, CancellationToken ct)
    {
        var normalized = groupName.ToUpperInvariant();
        var group = await db.Roles.AsNoTracking().FirstOrDefaultAsync(r => r.NormalizedName == normalized, ct);
        var email = user.EmailConfirmed ? user.Email?.ToLowerInvariant() : null;
        if (group?.Owner is { } owner
            && group.Members.Any(m => m == user.UserName || (email is not null && m == email)))
        {
            await output.WriteLineAsync($"{user.UserName} is still a member through {owner} (spec.members); " +
                "remove them there in Git.");
        }
    }
}
