using Microsoft.Net.Http.Headers;
using SsoOperator.Outpost.Sessions;

namespace SsoOperator.Outpost.Gate;

/// <summary>The headers that tell an upstream who the user is.</summary>
public static class IdentityHeaders
{
    public const string User = "X-Forwarded-User";
    public const string Email = "X-Forwarded-Email";
    public const string Groups = "X-Forwarded-Groups";
    public const string PreferredUsername = "X-Forwarded-Preferred-Username";

    public static readonly IReadOnlyList<string> All = [User, Email, Groups, PreferredUsername];

    /// <summary>
    /// True for a header an upstream could take for one of ours. Note: some servers (CGI, PHP, nginx's
    /// $http_ variables) read '_' as '-', so X_Forwarded_User counts too.
    /// </summary>
    public static bool IsIdentityHeader(string name)
    {
        var normalized = name.Replace('_', '-');
        return All.Any(h => string.Equals(h, normalized, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Removes every identity header a client sent, and Authorization when the outpost sets it.</summary>
    public static void Strip(IHeaderDictionary headers, bool stripAuthorization)
    {
        foreach (var name in headers.Keys.Where(IsIdentityHeader).ToList())
        {
            headers.Remove(name);
        }
        if (stripAuthorization)
        {
            headers.Remove(HeaderNames.Authorization);
        }
    }

    /// <summary>The headers naming the user, in the order they are sent.</summary>
    public static IEnumerable<KeyValuePair<string, string>> For(SessionTicket session, bool withAccessToken)
    {
        yield return new(User, session.Subject);
        if (session.Email is not null)
        {
            yield return new(Email, session.Email);
        }
        yield return new(Groups, string.Join(',', session.Groups));
        if (session.Username is not null)
        {
            yield return new(PreferredUsername, session.Username);
        }
        if (withAccessToken && session.AccessToken is not null)
        {
            yield return new(HeaderNames.Authorization, "Bearer " + session.AccessToken);
        }
    }
}
