using SsoOperator.Outpost.Configuration;

namespace SsoOperator.Outpost.Tests;

public sealed class ConfigValidatorTests
{
    private const string Key = "b3V0cG9zdC10ZXN0LXNlc3Npb24ta2V5LTMyLWJ5dGVzIQ==";

    [Fact]
    public void Parse_ValidFile_BuildsSnapshotWithDefaults()
    {
        var result = ConfigValidator.Parse(File(App("proxy", "\"internalHost\": \"http://10.0.0.1:8080\"")));

        var snapshot = Assert.IsType<OutpostSnapshot>(result.Snapshot);
        Assert.Empty(result.Errors);
        Assert.Equal(new Uri("https://sso.example.com/"), snapshot.Idp.BrowserUrl);
        Assert.Equal(new Uri("http://idp.sso.svc:9000/"), snapshot.Idp.IdpUrl);
        Assert.Equal("_sso_outpost", snapshot.Session.CookieName);
        Assert.Equal(TimeSpan.FromHours(12), snapshot.Session.Lifetime);
        var app = Assert.Single(snapshot.Apps);
        Assert.Equal(AppMode.Proxy, app.Mode);
        Assert.Equal("https://app.example.com/outpost/callback", app.RedirectUri.AbsoluteUri);
        Assert.StartsWith("r7 (", snapshot.Revision, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_WrittenByOperator_ReadsBackValid()
    {
        var file = new OutpostConfigFile
        {
            Revision = "ns/outpost-3",
            Idp = new IdpSection { BrowserUrl = "https://sso.example.com/" },
            Session = new SessionSection { Key = Key, Lifetime = "8h" },
            Apps =
            [
                new AppSection
                {
                    Slug = "wiki", Mode = "proxy", ExternalHost = "https://wiki.example.com",
                    InternalHost = "http://wiki.apps.svc:80", ClientId = "wiki", ClientSecret = "s",
                    SkipPaths = ["^/static/"], Access = new AccessSection { Groups = ["staff"] },
                },
            ],
        };

        var text = file.ToJson();
        var result = ConfigValidator.Parse(text);

        Assert.Empty(result.Errors);
        Assert.Equal(text, file.ToJson());
        Assert.DoesNotContain("cookieDomain", text, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromHours(8), result.Snapshot!.Session.Lifetime);
        Assert.True(result.Snapshot.Apps[0].IsSkipped("/static/app.js"));
    }

    [Fact]
    public void Parse_ManyProblems_ReportsEveryOneWithItsPath()
    {
        var text = """
            {
              "idp": { "browserUrl": "ftp://sso" },
              "session": { "key": "c2hvcnQ=", "cookieName": "bad name" },
              "apps": [
                { "slug": "Bad_Slug", "mode": "proxy", "externalHost": "https://a.example.com/path",
                  "clientId": "a", "clientSecret": "s", "skipPaths": ["health"] },
                { "slug": "b", "mode": "forwardAuth", "externalHost": "https://b.example.com",
                  "internalHost": "http://b", "clientSecret": "s" },
                { "slug": "c", "mode": "forwardAuthDomain", "externalHost": "https://c.other.com",
                  "cookieDomain": "example.com", "clientId": "c", "clientSecret": "s",
                  "access": { "groups": [""] } }
              ]
            }
            """;

        var result = ConfigValidator.Parse(text);

        Assert.Null(result.Snapshot);
        Assert.Equal(
            [
                "idp.browserUrl", "session.cookieName", "session.key", "apps[0].slug", "apps[0].externalHost",
                "apps[0].internalHost", "apps[0].skipPaths[0]", "apps[1].internalHost", "apps[1].clientId",
                "apps[2].externalHost", "apps[2].access.groups[0]",
            ],
            result.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Parse_DuplicateSlugAndHost_Reported()
    {
        var app = App("forwardAuth", "");
        var result = ConfigValidator.Parse(File(app + "," + app));

        Assert.Equal(["apps[1].slug", "apps[1].externalHost"], result.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Parse_NotJson_OneErrorWithPosition()
    {
        var result = ConfigValidator.Parse("{ \"idp\": ");

        var error = Assert.Single(result.Errors);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownField_Refused()
    {
        var result = ConfigValidator.Parse(File(App("forwardAuth", "\"skipPath\": []")));

        Assert.Contains("skipPath", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("app.example.com", "app")]
    [InlineData("APP.example.com:443", "app")]
    [InlineData("grafana.apps.example.com", "domain")]
    [InlineData("apps.example.com", "domain")]
    [InlineData("example.com", null)]
    [InlineData("app.example.com:8443", null)]
    public void FindApp_ByHost_ExactHostFirstThenCookieDomain(string host, string? expected)
    {
        var apps = App("forwardAuth", "") + "," + """
            { "slug": "domain", "mode": "forwardAuthDomain", "externalHost": "https://auth.apps.example.com",
              "cookieDomain": "apps.example.com", "clientId": "d", "clientSecret": "s" }
            """;
        var snapshot = ConfigValidator.Parse(File(apps)).Snapshot!;

        Assert.Equal(expected, snapshot.FindApp(host)?.Slug);
    }

    [Fact]
    public void AccessPolicy_Rules_DenyUnlessNamedAndMfaWhenRequired()
    {
        var policy = new AccessPolicy(new HashSet<string> { "ops" }, new HashSet<string> { "dave" }, RequireMfa: true);
        UserIdentity User(string name, string[] groups, string[] amr) => new("sub-" + name, name, null, groups, amr);

        Assert.Equal(AccessDecision.Allowed, policy.Evaluate(User("erin", ["ops"], ["pwd", "otp"])));
        Assert.Equal(AccessDecision.Allowed, policy.Evaluate(User("dave", [], ["mfa"])));
        Assert.Equal(AccessDecision.MfaRequired, policy.Evaluate(User("dave", [], ["pwd"])));
        Assert.Equal(AccessDecision.NotPermitted, policy.Evaluate(User("frank", ["dev"], ["otp"])));
        Assert.Equal(AccessDecision.NotPermitted, AccessPolicy.DenyAll.Evaluate(User("dave", ["ops"], ["otp"])));
    }

    private static string App(string mode, string extra) => $$"""
        { "slug": "app", "mode": "{{mode}}", "externalHost": "https://app.example.com",
          "clientId": "app", "clientSecret": "s"{{(extra.Length > 0 ? ", " + extra : "")}} }
        """;

    private static string File(string apps) => $$"""
        {
          "revision": "r7",
          "idp": { "browserUrl": "https://sso.example.com", "idpUrl": "http://idp.sso.svc:9000" },
          "session": { "key": "{{Key}}" },
          "apps": [ {{apps}} ]
        }
        """;
}
