using k8s.Models;
using SsoOperator.Crds;
using SsoOperator.Operator.Reconcilers;

namespace SsoOperator.Operator.Tests.Reconcilers;

public sealed class ClientDefinitionsTests
{
    [Fact]
    public void From_ConfidentialDefaults_ProtocolNamesAndLifetimes()
    {
        var client = ClientDefinitions.From(OAuth2("grafana", new OAuth2ProviderSpec
        {
            RedirectUris = ["https://grafana.example.com/login/generic_oauth"],
        }), "s3cret");

        Assert.Equal(("grafana", true, "s3cret"), (client.ClientId, client.IsConfidential, client.ClientSecret));
        Assert.Equal(["authorization_code", "refresh_token"], client.GrantTypes);
        Assert.Equal(["client_secret_basic", "client_secret_post"], client.TokenEndpointAuthMethods);
        Assert.True(client.RequirePkce);
        Assert.Equal((TimeSpan.FromMinutes(10), TimeSpan.FromDays(30)),
            (client.AccessTokenLifetime, client.RefreshTokenLifetime));
        Assert.Equal(new Uri("https://grafana.example.com/login/generic_oauth"), Assert.Single(client.RedirectUris));
        Assert.Equal(("Provider", "apps", "grafana"), (client.Owner.Kind, client.Owner.Namespace, client.Owner.Name));
    }

    [Fact]
    public void From_PublicClientWithExplicitId_NoSecretAndAuthMethodNone()
    {
        var client = ClientDefinitions.From(OAuth2("cli", new OAuth2ProviderSpec
        {
            ClientType = ClientType.Public, ClientId = "my-cli", Pkce = PkceMode.Required,
            GrantTypes = [GrantType.AuthorizationCode, GrantType.DeviceCode],
        }), null);

        Assert.Equal(("my-cli", false, null), (client.ClientId, client.IsConfidential, client.ClientSecret));
        Assert.Equal(["none"], client.TokenEndpointAuthMethods);
        Assert.Equal(["authorization_code", "urn:ietf:params:oauth:grant-type:device_code"], client.GrantTypes);
    }

    [Fact]
    public void ProvidersUsing_SecretNamedByRefOrGenerate_OnlyThoseInItsNamespace()
    {
        var byRef = OAuth2("a", new OAuth2ProviderSpec
        {
            ClientSecret = new() { SecretRef = new() { Name = "shared", Key = "k" } },
        });
        var generated = OAuth2("b", new OAuth2ProviderSpec
        {
            ClientSecret = new() { Generate = new() { SecretName = "shared" } },
        });
        var elsewhere = OAuth2("c", new OAuth2ProviderSpec
        {
            ClientSecret = new() { SecretRef = new() { Name = "shared", Key = "k" } },
        }, ns: "other");
        var secret = new V1Secret { Metadata = new() { Name = "shared", NamespaceProperty = "apps" } };

        var keys = ProviderReconciler.ProvidersUsing(secret, [byRef, generated, elsewhere]);

        Assert.Equal(["apps/a", "apps/b"], keys.Select(k => k.ToString()));
    }

    [Fact]
    public void ApplicationsOf_Provider_OnlyThoseReferencingIt()
    {
        var provider = OAuth2("p", new OAuth2ProviderSpec());
        Application App(string name, string provider, string ns = "apps") => new()
        {
            Metadata = new() { Name = name, NamespaceProperty = ns },
            Spec = new() { DisplayName = name, ProviderRef = new() { Name = provider } },
        };

        var keys = ApplicationReconciler.ApplicationsOf(provider,
            [App("one", "p"), App("two", "q"), App("three", "p", ns: "other")]);

        Assert.Equal(["apps/one"], keys.Select(k => k.ToString()));
    }

    [Fact]
    public void From_ProxyProvider_OutpostClientUnderExternalHost()
    {
        var provider = new Provider
        {
            Metadata = new() { Name = "guac", NamespaceProperty = "apps" },
            Spec = new() { Proxy = new ProxyProviderSpec { ExternalHost = "https://guac.example.com/" } },
        };

        var client = ClientDefinitions.From(provider, "s3cret");

        Assert.Equal(("guac", true, "s3cret"), (client.ClientId, client.IsConfidential, client.ClientSecret));
        Assert.Equal([new Uri("https://guac.example.com/outpost/callback")], client.RedirectUris);
        Assert.Equal([new Uri("https://guac.example.com/outpost/signed_out")], client.PostLogoutRedirectUris);
        Assert.Equal(["openid", "profile", "email", "groups"], client.Scopes);
        Assert.Equal(["authorization_code"], client.GrantTypes);
        Assert.Equal(["client_secret_basic"], client.TokenEndpointAuthMethods);
        Assert.True(client.RequirePkce);
    }

    [Fact]
    public void ProvidersUsing_ProxyClientSecret_ItsProxyProvider()
    {
        var proxy = new Provider
        {
            Metadata = new() { Name = "guac", NamespaceProperty = "apps" },
            Spec = new() { Proxy = new ProxyProviderSpec { ExternalHost = "https://guac.example.com" } },
        };
        var secret = new V1Secret { Metadata = new() { Name = "guac-proxy-client", NamespaceProperty = "apps" } };

        Assert.Equal("guac-proxy-client", ClientSecrets.ProxySecretName(proxy));
        Assert.Equal([new Operator.Runtime.ObjectKey("apps", "guac")],
            ProviderReconciler.ProvidersUsing(secret, [proxy]));
    }

    private static Provider OAuth2(string name, OAuth2ProviderSpec spec, string ns = "apps") => new()
    {
        Metadata = new() { Name = name, NamespaceProperty = ns },
        Spec = new() { OAuth2 = spec },
    };
}
