using SsoOperator.Crds.Validation;

namespace SsoOperator.Crds.Tests;

public sealed class ProviderSpecTests
{
    private static OAuth2ProviderSpec Confidential() => new()
    {
        ClientSecret = new ClientSecretSource { Generate = new GeneratedSecret { SecretName = "app-oidc" } },
        RedirectUris = ["https://app.example.com/callback"],
    };

    private static OAuth2ProviderSpec Public() => new()
    {
        ClientType = ClientType.Public,
        RedirectUris = ["https://app.example.com/callback"],
    };

    private static ProxyProviderSpec Proxy(ProxyMode mode) => new()
    {
        Mode = mode,
        ExternalHost = "https://app.example.com",
        InternalHost = mode == ProxyMode.Proxy ? "http://app.apps.svc:8080" : null,
        CookieDomain = mode == ProxyMode.ForwardAuthDomain ? "example.com" : null,
    };

    private static string[] Paths(IEnumerable<FieldError> errors) => [.. errors.Select(error => error.Path)];

    [Fact]
    public void Validate_ValidConfidentialClient_ReturnsNoErrors()
    {
        Assert.Empty(new ProviderSpec { OAuth2 = Confidential() }.Validate());
    }

    [Fact]
    public void Validate_ValidPublicClient_ReturnsNoErrors()
    {
        Assert.Empty(new ProviderSpec { OAuth2 = Public() }.Validate());
    }

    [Theory]
    [InlineData(ProxyMode.Proxy)]
    [InlineData(ProxyMode.ForwardAuth)]
    [InlineData(ProxyMode.ForwardAuthDomain)]
    public void Validate_ValidProxy_ReturnsNoErrors(ProxyMode mode)
    {
        Assert.Empty(new ProviderSpec { Proxy = Proxy(mode) }.Validate());
    }

    [Fact]
    public void Validate_NeitherOAuth2NorProxy_NamesSpec()
    {
        var errors = new ProviderSpec().Validate();

        Assert.Equal(["spec"], Paths(errors));
        Assert.Contains("exactly one of oauth2 or proxy", errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BothOAuth2AndProxy_NamesSpec()
    {
        var errors = new ProviderSpec { OAuth2 = Confidential(), Proxy = Proxy(ProxyMode.Proxy) }.Validate();

        Assert.Equal(["spec"], Paths(errors));
    }

    [Fact]
    public void Validate_ConfidentialWithoutSecret_NamesClientSecretAndFix()
    {
        var spec = Confidential();
        spec.ClientSecret = null;

        var errors = new ProviderSpec { OAuth2 = spec }.Validate();

        Assert.Equal(["spec.oauth2.clientSecret"], Paths(errors));
        Assert.Contains("set secretRef or generate", errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PublicWithSecret_NamesClientSecret()
    {
        var spec = Public();
        spec.ClientSecret = new ClientSecretSource { Generate = new GeneratedSecret { SecretName = "x" } };

        var errors = new ProviderSpec { OAuth2 = spec }.Validate();

        Assert.Equal(["spec.oauth2.clientSecret"], Paths(errors));
    }

    [Fact]
    public void Validate_SecretWithBothSources_NamesClientSecret()
    {
        var spec = Confidential();
        spec.ClientSecret!.SecretRef = new SecretKeyReference { Name = "app", Key = "secret" };

        var errors = new ProviderSpec { OAuth2 = spec }.Validate();

        Assert.Equal(["spec.oauth2.clientSecret"], Paths(errors));
        Assert.Contains("exactly one of secretRef or generate", errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PublicClientBreakingEveryRule_ReportsEachError()
    {
        var spec = Public();
        spec.Pkce = PkceMode.Optional;
        spec.TokenEndpointAuthMethods = [TokenEndpointAuthMethod.None, TokenEndpointAuthMethod.ClientSecretPost];
        spec.GrantTypes = [GrantType.AuthorizationCode, GrantType.ClientCredentials];

        var errors = new ProviderSpec { OAuth2 = spec }.Validate();

        Assert.Equal(
            ["spec.oauth2.pkce", "spec.oauth2.tokenEndpointAuthMethods[1]", "spec.oauth2.grantTypes[1]"],
            Paths(errors));
    }

    [Fact]
    public void Validate_ConfidentialWithAuthMethodNone_NamesTheItem()
    {
        var spec = Confidential();
        spec.TokenEndpointAuthMethods = [TokenEndpointAuthMethod.ClientSecretBasic, TokenEndpointAuthMethod.None];

        var errors = new ProviderSpec { OAuth2 = spec }.Validate();

        Assert.Equal(["spec.oauth2.tokenEndpointAuthMethods[1]"], Paths(errors));
    }

    [Fact]
    public void Validate_AuthorizationCodeWithoutRedirectUris_NamesRedirectUris()
    {
        var spec = Confidential();
        spec.RedirectUris = [];

        var errors = new ProviderSpec { OAuth2 = spec }.Validate();

        Assert.Equal(["spec.oauth2.redirectUris"], Paths(errors));
    }

    [Fact]
    public void Validate_ClientCredentialsOnlyWithoutRedirectUris_ReturnsNoErrors()
    {
        var spec = Confidential();
        spec.RedirectUris = [];
        spec.GrantTypes = [GrantType.ClientCredentials];

        Assert.Empty(new ProviderSpec { OAuth2 = spec }.Validate());
    }

    [Fact]
    public void Validate_BadRedirectUris_NamesEachIndex()
    {
        var spec = Confidential();
        spec.RedirectUris = ["https://ok.example.com/cb", "relative/path", "https://app.example.com/#frag"];
        spec.PostLogoutRedirectUris = ["not a uri"];

        var errors = new ProviderSpec { OAuth2 = spec }.Validate();

        Assert.Equal(
            ["spec.oauth2.redirectUris[1]", "spec.oauth2.redirectUris[2]", "spec.oauth2.postLogoutRedirectUris[0]"],
            Paths(errors));
    }

    [Theory]
    [InlineData("10w", "1d", "spec.oauth2.accessTokenLifetime", "not a lifetime")]
    [InlineData("2d", "30d", "spec.oauth2.accessTokenLifetime", "maximum of 1d")]
    [InlineData("10m", "366d", "spec.oauth2.refreshTokenLifetime", "maximum of 365d")]
    [InlineData("10m", "", "spec.oauth2.refreshTokenLifetime", "not a lifetime")]
    public void Validate_BadLifetime_NamesFieldAndProblem(string access, string refresh, string path, string problem)
    {
        var spec = Confidential();
        spec.AccessTokenLifetime = access;
        spec.RefreshTokenLifetime = refresh;

        var error = Assert.Single(new ProviderSpec { OAuth2 = spec }.Validate());

        Assert.Equal(path, error.Path);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SkipPathsThatDoNotCompileOrAreUnanchored_NamesEachIndex()
    {
        var spec = Proxy(ProxyMode.Proxy);
        spec.SkipPaths = ["^/api/health$", "^/static/(", "/metrics"];

        var errors = new ProviderSpec { Proxy = spec }.Validate();

        Assert.Equal(["spec.proxy.skipPaths[1]", "spec.proxy.skipPaths[2]"], Paths(errors));
        Assert.Contains("not a valid regular expression", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("must start with ^", errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ProxyModeWithoutInternalHost_NamesInternalHost()
    {
        var spec = Proxy(ProxyMode.Proxy);
        spec.InternalHost = null;

        var error = Assert.Single(new ProviderSpec { Proxy = spec }.Validate());

        Assert.Equal("spec.proxy.internalHost", error.Path);
    }

    [Fact]
    public void Validate_ForwardAuthWithInternalHostAndCookieDomain_NamesBoth()
    {
        var spec = Proxy(ProxyMode.ForwardAuth);
        spec.InternalHost = "http://app.apps.svc";
        spec.CookieDomain = "example.com";

        var errors = new ProviderSpec { Proxy = spec }.Validate();

        Assert.Equal(["spec.proxy.internalHost", "spec.proxy.cookieDomain"], Paths(errors));
    }

    [Fact]
    public void Validate_ForwardAuthDomainWithoutCookieDomain_NamesCookieDomain()
    {
        var spec = Proxy(ProxyMode.ForwardAuthDomain);
        spec.CookieDomain = null;

        var error = Assert.Single(new ProviderSpec { Proxy = spec }.Validate());

        Assert.Equal("spec.proxy.cookieDomain", error.Path);
    }

    [Fact]
    public void Validate_ExternalHostOutsideCookieDomain_NamesExternalHost()
    {
        var spec = Proxy(ProxyMode.ForwardAuthDomain);
        spec.ExternalHost = "https://app.example.org";

        var error = Assert.Single(new ProviderSpec { Proxy = spec }.Validate());

        Assert.Equal("spec.proxy.externalHost", error.Path);
        Assert.Contains("not within cookieDomain 'example.com'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ExternalHostNotHttp_NamesExternalHost()
    {
        var spec = Proxy(ProxyMode.ForwardAuth);
        spec.ExternalHost = "ftp://app.example.com";

        var error = Assert.Single(new ProviderSpec { Proxy = spec }.Validate());

        Assert.Equal("spec.proxy.externalHost", error.Path);
    }

    [Fact]
    public void EffectiveClientId_WithoutClientId_IsTheName()
    {
        var provider = new Provider { Metadata = new() { Name = "grafana" }, Spec = { OAuth2 = Confidential() } };

        Assert.Equal("grafana", provider.EffectiveClientId);
        provider.Spec.OAuth2!.ClientId = "grafana-prod";
        Assert.Equal("grafana-prod", provider.EffectiveClientId);
    }

    [Fact]
    public void EffectiveTokenEndpointAuthMethods_Unset_DependOnClientType()
    {
        Assert.Equal(
            [TokenEndpointAuthMethod.ClientSecretBasic, TokenEndpointAuthMethod.ClientSecretPost],
            Confidential().EffectiveTokenEndpointAuthMethods);
        Assert.Equal([TokenEndpointAuthMethod.None], Public().EffectiveTokenEndpointAuthMethods);
    }
}
