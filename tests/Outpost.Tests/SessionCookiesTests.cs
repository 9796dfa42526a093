using Microsoft.AspNetCore.Http;
using SsoOperator.Outpost.Configuration;
using SsoOperator.Outpost.Sessions;

namespace SsoOperator.Outpost.Tests;

/// <summary>Sealing and opening session cookies across replicas, key rotations and apps.</summary>
public sealed class SessionCookiesTests
{
    private const string KeyA = "a2V5LWEta2V5LWEta2V5LWEta2V5LWEta2V5LWEta2V5LWE=";
    private const string KeyB = "a2V5LWIta2V5LWIta2V5LWIta2V5LWIta2V5LWIta2V5LWI=";

    [Fact]
    public void ReadSession_OtherReplicaSameKey_Opens()
    {
        var cookie = Seal(Config(KeyA), new SessionCookies(new SessionProtection(), TimeProvider.System));

        var replica = new SessionCookies(new SessionProtection(), TimeProvider.System);
        var session = Open(replica, Config(KeyA), cookie);

        Assert.Equal("sub-1", session?.Subject);
        Assert.Equal(["staff"], session!.Groups);
    }

    [Fact]
    public void ReadSession_KeyRotatedWithPreviousKept_StillOpens()
    {
        var cookie = Seal(Config(KeyA), new SessionCookies(new SessionProtection(), TimeProvider.System));

        var session = Open(new SessionCookies(new SessionProtection(), TimeProvider.System),
            Config(KeyB, KeyA), cookie);

        Assert.Equal("sub-1", session?.Subject);
    }

    [Fact]
    public void ReadSession_OtherKey_NoSession()
    {
        var cookie = Seal(Config(KeyA), new SessionCookies(new SessionProtection(), TimeProvider.System));

        var session = Open(new SessionCookies(new SessionProtection(), TimeProvider.System), Config(KeyB), cookie);

        Assert.Null(session);
    }

    [Fact]
    public void ReadSession_Expired_NoSession()
    {
        var cookies = new SessionCookies(new SessionProtection(), TimeProvider.System);
        var cookie = Seal(Config(KeyA), cookies, TimeSpan.FromSeconds(-1));

        Assert.Null(Open(cookies, Config(KeyA), cookie));
    }

    [Fact]
    public void ReadSession_Tampered_NoSession()
    {
        var cookies = new SessionCookies(new SessionProtection(), TimeProvider.System);
        var cookie = Seal(Config(KeyA), cookies);
        var tampered = cookie[..^3] + (cookie[^3] == 'A' ? 'B' : 'A') + cookie[^2..];

        Assert.Null(Open(cookies, Config(KeyA), tampered));
    }

    [Fact]
    public void WriteSession_LargeTicket_ChunkedAndReadBack()
    {
        var cookies = new SessionCookies(new SessionProtection(), TimeProvider.System);
        var config = Config(KeyA);
        var context = new DefaultHttpContext();
        var ticket = Ticket(TimeSpan.FromHours(1)) with { IdToken = new string('t', 9000) };

        cookies.WriteSession(context, config, config.Apps[0], ticket);
        var setCookies = context.Response.Headers.SetCookie.Select(c => c ?? "").ToArray();
        var request = new DefaultHttpContext();
        request.Request.Headers.Cookie = string.Join("; ",
            setCookies.Select(c => c[..c.IndexOf(';', StringComparison.Ordinal)]));

        Assert.True(setCookies.Length >= 3, $"{setCookies.Length} cookies");
        Assert.All(setCookies, c => Assert.True(c.Length < 4096, $"{c.Length} bytes"));
        Assert.Equal(ticket.IdToken, cookies.ReadSession(request, config, config.Apps[0])?.IdToken);
    }

    [Fact]
    public void WriteSession_CookieAttributes_HttpOnlyLaxAndSecureOnHttps()
    {
        var context = new DefaultHttpContext();
        var config = Config(KeyA);
        new SessionCookies(new SessionProtection(), TimeProvider.System)
            .WriteSession(context, config, config.Apps[0], Ticket(TimeSpan.FromHours(1)));

        var header = context.Response.Headers.SetCookie.ToString();

        Assert.StartsWith("_sso_outpost=", header, StringComparison.Ordinal);
        Assert.Contains("secure", header, StringComparison.Ordinal);
        Assert.Contains("samesite=lax", header, StringComparison.Ordinal);
        Assert.Contains("httponly", header, StringComparison.Ordinal);
        Assert.DoesNotContain("domain=", header, StringComparison.Ordinal);
    }

    private static string Seal(OutpostSnapshot config, SessionCookies cookies, TimeSpan? lifetime = null)
    {
        var context = new DefaultHttpContext();
        cookies.WriteSession(context, config, config.Apps[0], Ticket(lifetime ?? TimeSpan.FromHours(1)));
        var setCookie = context.Response.Headers.SetCookie.ToString();
        var start = setCookie.IndexOf('=', StringComparison.Ordinal) + 1;
        return setCookie[start..setCookie.IndexOf(';', StringComparison.Ordinal)];
    }

    private static SessionTicket? Open(SessionCookies cookies, OutpostSnapshot config, string value)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = $"_sso_outpost={value}";
        return cookies.ReadSession(context, config, config.Apps[0]);
    }

    private static SessionTicket Ticket(TimeSpan lifetime) => new("sub-1", "user1", "u@example.test", ["staff"],
        ["pwd"], DateTimeOffset.UtcNow + lifetime, "id-token", null);

    private static OutpostSnapshot Config(string key, string? previous = null) => ConfigValidator.Parse($$"""
        {
          "idp": { "browserUrl": "https://sso.example.com" },
          "session": { "key": "{{key}}", "previousKeys": [{{(previous is null ? "" : $"\"{previous}\"")}}] },
          "apps": [{ "slug": "app", "mode": "forwardAuth", "externalHost": "https://app.example.com",
                     "clientId": "app", "clientSecret": "s" }]
        }
        """).Snapshot!;
}
