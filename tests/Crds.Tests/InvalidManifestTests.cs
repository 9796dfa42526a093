namespace SsoOperator.Crds.Tests;

/// <summary>
/// Manifests the API server must refuse, each with the field its error names. Rules a Kubernetes 1.20 schema
/// cannot express (regexes that compile, lifetime maxima, PKCE for public clients) are covered by the
/// Validate() tests instead.
/// </summary>
public sealed class InvalidManifestTests
{
    private const string Provider = "apiVersion: ssooperator.dev/v1alpha1\nkind: Provider\nmetadata: {name: bad}\n";
    private const string Application = "apiVersion: ssooperator.dev/v1alpha1\nkind: Application\nmetadata: {name: bad}\n";
    private const string Outpost = "apiVersion: ssooperator.dev/v1alpha1\nkind: Outpost\nmetadata: {name: bad}\n";
    private const string Secret = "clientSecret: {generate: {secretName: s}}";
    private const string Proxy = "externalHost: https://a.example.com";
    private const string App = "displayName: A\n  providerRef: {name: p}";
    private static readonly string Long = new('a', 101);

    public static TheoryData<string, string, string> Manifests() => new()
    {
        { "no spec", Provider, "spec: Required value" },
        { "neither oauth2 nor proxy", Provider + "spec: {}", "spec: Invalid value" },
        { "both oauth2 and proxy", Provider + $"spec:\n  oauth2: {{{Secret}}}\n  proxy: {{{Proxy}, internalHost: http://a}}",
            "spec: Invalid value" },
        { "unknown client type", Provider + $"spec:\n  oauth2: {{clientType: secret, {Secret}}}", "spec.oauth2.clientType" },
        { "confidential without secret", Provider + "spec:\n  oauth2: {clientType: confidential}", "spec.oauth2" },
        { "public with secret", Provider + $"spec:\n  oauth2: {{clientType: public, {Secret}}}", "spec.oauth2" },
        { "secret with both sources", Provider +
            "spec:\n  oauth2: {clientSecret: {generate: {secretName: s}, secretRef: {name: s, key: k}}}",
            "spec.oauth2.clientSecret" },
        { "secretRef without key", Provider + "spec:\n  oauth2: {clientSecret: {secretRef: {name: s}}}",
            "spec.oauth2.clientSecret.secretRef.key" },
        { "client id with a space", Provider + $"spec:\n  oauth2: {{clientId: 'my app', {Secret}}}", "spec.oauth2.clientId" },
        { "oversize client id", Provider + $"spec:\n  oauth2: {{clientId: {Long}, {Secret}}}", "spec.oauth2.clientId" },
        { "malformed redirect URI", Provider + $"spec:\n  oauth2: {{redirectUris: ['not a url'], {Secret}}}",
            "spec.oauth2.redirectUris[0]" },
        { "redirect URI with fragment", Provider + $"spec:\n  oauth2: {{redirectUris: ['https://a/#x'], {Secret}}}",
            "spec.oauth2.redirectUris[0]" },
        { "duplicate redirect URI", Provider +
            $"spec:\n  oauth2: {{redirectUris: ['https://a/', 'https://a/'], {Secret}}}",
            "spec.oauth2.redirectUris[1]" },
        { "unknown grant type", Provider + $"spec:\n  oauth2: {{grantTypes: [implicit], {Secret}}}",
            "spec.oauth2.grantTypes[0]" },
        { "no grant types", Provider + $"spec:\n  oauth2: {{grantTypes: [], {Secret}}}", "spec.oauth2.grantTypes" },
        { "unknown pkce mode", Provider + $"spec:\n  oauth2: {{pkce: sometimes, {Secret}}}", "spec.oauth2.pkce" },
        { "unknown auth method", Provider + $"spec:\n  oauth2: {{tokenEndpointAuthMethods: [private_key_jwt], {Secret}}}",
            "spec.oauth2.tokenEndpointAuthMethods[0]" },
        { "unknown lifetime unit", Provider + $"spec:\n  oauth2: {{accessTokenLifetime: 10w, {Secret}}}",
            "spec.oauth2.accessTokenLifetime" },
        { "zero lifetime", Provider + $"spec:\n  oauth2: {{refreshTokenLifetime: 0d, {Secret}}}",
            "spec.oauth2.refreshTokenLifetime" },
        { "scope with a space", Provider + $"spec:\n  oauth2: {{scopes: ['openid email'], {Secret}}}",
            "spec.oauth2.scopes[0]" },
        { "unknown proxy mode", Provider + $"spec:\n  proxy: {{mode: sidecar, {Proxy}}}", "spec.proxy.mode" },
        { "proxy without externalHost", Provider + "spec:\n  proxy: {internalHost: http://a}", "spec.proxy.externalHost" },
        { "externalHost not http", Provider + "spec:\n  proxy: {externalHost: 'ftp://a', internalHost: http://a}",
            "spec.proxy.externalHost" },
        { "proxy mode without internalHost", Provider + $"spec:\n  proxy: {{mode: proxy, {Proxy}}}", "spec.proxy" },
        { "forwardAuth with cookieDomain", Provider + $"spec:\n  proxy: {{mode: forwardAuth, cookieDomain: a.com, {Proxy}}}",
            "spec.proxy" },
        { "forwardAuthDomain without cookieDomain", Provider + $"spec:\n  proxy: {{mode: forwardAuthDomain, {Proxy}}}",
            "spec.proxy" },
        { "unanchored skip path", Provider + $"spec:\n  proxy: {{skipPaths: [/api], internalHost: http://a, {Proxy}}}",
            "spec.proxy.skipPaths[0]" },
        { "cookieDomain with scheme", Provider +
            $"spec:\n  proxy: {{mode: forwardAuthDomain, cookieDomain: 'https://a.com', {Proxy}}}",
            "spec.proxy.cookieDomain" },
        { "application without displayName", Application + "spec: {providerRef: {name: p}}", "spec.displayName" },
        { "application without providerRef", Application + "spec: {displayName: A}", "spec.providerRef" },
        { "empty displayName", Application + "spec: {displayName: '', providerRef: {name: p}}", "spec.displayName" },
        { "oversize displayName", Application + $"spec: {{displayName: {Long}, providerRef: {{name: p}}}}",
            "spec.displayName" },
        { "uppercase slug", Application + $"spec:\n  {App}\n  slug: Grafana", "spec.slug" },
        { "malformed launchUrl", Application + $"spec:\n  {App}\n  launchUrl: grafana.example.com", "spec.launchUrl" },
        { "providerRef with bad name", Application + "spec: {displayName: A, providerRef: {name: My_Provider}}",
            "spec.providerRef.name" },
        { "requireMfa not a boolean", Application + $"spec:\n  {App}\n  access: {{requireMfa: 'yes'}}",
            "spec.access.requireMfa" },
        { "duplicate group", Application + $"spec:\n  {App}\n  access: {{groups: [a, a]}}", "spec.access.groups[1]" },
        { "outpost without browserUrl", Outpost + "spec: {type: proxy}", "spec.browserUrl" },
        { "unknown outpost type", Outpost + "spec: {type: ldap, browserUrl: https://sso}", "spec.type" },
        { "negative replicas", Outpost + "spec: {browserUrl: https://sso, deployment: {replicas: -1}}",
            "spec.deployment.replicas" },
        { "too many replicas", Outpost + "spec: {browserUrl: https://sso, deployment: {replicas: 101}}",
            "spec.deployment.replicas" },
        { "duplicate application ref", Outpost + "spec: {browserUrl: https://sso, applicationRefs: [{name: a}, {name: a}]}",
            "spec.applicationRefs[1]" },
        { "malformed idpUrl", Outpost + "spec: {browserUrl: https://sso, idpUrl: 'idp:9000'}", "spec.idpUrl" },
        { "bad quantity", Outpost + "spec: {browserUrl: https://sso, deployment: {resources: {limits: {cpu: lots}}}}",
            "spec.deployment.resources.limits.cpu" },
    };

    [Theory]
    [MemberData(nameof(Manifests))]
    public async Task Apply_InvalidManifest_IsRefusedNamingTheField(string because, string manifest, string field)
    {
        var server = await Cluster.WithCrdsAsync();
        var ns = await server.NamespaceAsync("invalid");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => server.ApplyAsync(ns, manifest));

        Assert.True(error.Message.Contains(field, StringComparison.Ordinal),
            $"{because}: expected the error to name {field}, got:\n{error.Message}");
        Assert.Contains("is invalid", error.Message, StringComparison.Ordinal);
    }
}
