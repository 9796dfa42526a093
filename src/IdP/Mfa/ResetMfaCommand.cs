using Microsoft.AspNetCore.Identity;
using SsoOperator.IdP.Hosting;
using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Mfa;

/// <summary>
/// `reset-mfa --user NAME`: an administrator removes a user's authenticator and recovery codes (a lost phone
/// and lost codes). Runs with the IdP's own configuration, e.g. `kubectl exec deploy/idp -- ./SsoOperator.IdP
/// reset-mfa --user alice`; the user sets up a new authenticator at their next sign-in.
/// </summary>
public static class ResetMfaCommand
{
    public const string Verb = "reset-mfa";

    public static bool Matches(string[] args) => args is [Verb, ..];

    /// <summary>Returns the process exit code: 0 done, 1 no such user, 2 usage.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (AdminCommandLine.Parse(args, Verb, "--user") is not { } command)
        {
            await output.WriteLineAsync($"usage: SsoOperator.IdP {Verb} --user NAME [configuration overrides]");
            return 2;
        }
        var userName = command.Options["--user"];

        await using var app = command.BuildServices();
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>();
        if (await command.FindUserAsync(users, output) is not { } user)
        {
            return 1;
        }

        var removed = await scope.ServiceProvider.GetRequiredService<MfaStore>().RemoveAsync(user.Id, ct);
        await users.SetTwoFactorEnabledAsync(user, false);
        // A new security stamp ends the user's sessions at their next check (Identity's validation interval).
        await users.UpdateSecurityStampAsync(user);
        await output.WriteLineAsync(removed
            ? $"Removed the authenticator and recovery codes of {userName}; they set up a new one at next sign-in."
            : $"{userName} had no authenticator; nothing to remove.");
        return 0;
    }
}
