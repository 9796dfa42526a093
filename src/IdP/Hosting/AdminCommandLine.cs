using Microsoft.AspNetCore.Identity;
using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Hosting;

/// <summary>
/// What the IdP's administrator verbs (`reset-mfa`, `remove-from-group`) share: `--name value` options after the
/// verb, everything else passed on as configuration overrides, and the IdP's services built from them.
/// </summary>
public sealed class AdminCommandLine
{
    private AdminCommandLine(IReadOnlyDictionary<string, string> options, string[] settings)
    {
        Options = options;
        Settings = settings;
    }

    public IReadOnlyDictionary<string, string> Options { get; }

    /// <summary>The remaining arguments: configuration such as --ConnectionStrings:Idp=...</summary>
    public string[] Settings { get; }

    /// <summary>Null unless <paramref name="args"/> starts with the verb and names every required option.</summary>
    public static AdminCommandLine? Parse(string[] args, string verb, params string[] required)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args is not [var first, ..] || first != verb)
        {
            return null;
        }
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var settings = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            if (required.Contains(args[i]) && i + 1 < args.Length)
            {
                options[args[i]] = args[++i];
            }
            else
            {
                settings.Add(args[i]);
            }
        }
        return required.All(options.ContainsKey) ? new AdminCommandLine(options, [.. settings]) : null;
    }

    /// <summary>The user named by --user, or null after saying there is none (the verbs then exit with 1).</summary>
    public async Task<IdpUser?> FindUserAsync(UserManager<IdpUser> users, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(output);
        var userName = Options["--user"];
        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            await output.WriteLineAsync($"No user named {userName}.");
        }
        return user;
    }

    /// <summary>The IdP's services with its usual configuration (connection string, issuer), without serving.</summary>
    public WebApplication BuildServices()
    {
        var builder = WebApplication.CreateBuilder(Settings);
        builder.Services.AddIdp(builder.Configuration);
        return builder.Build();
    }
}
