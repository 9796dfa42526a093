namespace SsoOperator.Operator.Tests.Support;

/// <summary>The resources the tests apply, as a user would write them.</summary>
public static class Manifests
{
    public static string GeneratedProvider(string name, string redirect = "http://127.0.0.1:8080/callback") => $"""
        apiVersion: ssooperator.dev/v1alpha1
        kind: Provider
        metadata: {"{"}name: {name}{"}"}
        spec:
          oauth2:
            clientSecret: {"{"}generate: {"{"}secretName: {name}-oidc{"}"}{"}"}
            redirectUris: ["{redirect}"]
        """;

    public static string ReferencedProvider(string name, string secretName) => $"""
        apiVersion: ssooperator.dev/v1alpha1
        kind: Provider
        metadata: {"{"}name: {name}{"}"}
        spec:
          oauth2:
            clientSecret: {"{"}secretRef: {"{"}name: {secretName}, key: client-secret{"}"}{"}"}
            redirectUris: ["http://127.0.0.1:8080/callback"]
        """;

    public static string Secret(string name, string value) => $"""
        apiVersion: v1
        kind: Secret
        metadata: {"{"}name: {name}{"}"}
        stringData: {"{"}client-secret: "{value}"{"}"}
        """;

    public static string Application(string name, string provider) => $"""
        apiVersion: ssooperator.dev/v1alpha1
        kind: Application
        metadata: {"{"}name: {name}{"}"}
        spec:
          displayName: {name}
          providerRef: {"{"}name: {provider}{"}"}
          launchUrl: http://127.0.0.1:8080/
          access: {"{"}groups: [users]{"}"}
        """;

    /// <summary>A Source whose client secret is the key client-secret of <paramref name="secretName"/>.</summary>
    public static string Source(string name, string secretName, string? slug = null,
        string issuer = "https://127.0.0.1:8443") => $"""
        apiVersion: ssooperator.dev/v1alpha1
        kind: Source
        metadata: {"{"}name: {name}{"}"}
        spec:
          displayName: Sign in with {name}
          {(slug is null ? "" : $"slug: {slug}")}
          oidc:
            issuer: {issuer}
            clientId: {name}-client
            clientSecret: {"{"}secretRef: {"{"}name: {secretName}, key: client-secret{"}"}{"}"}
            hostedDomain: example.com
          newUsers: {"{"}groups: [family]{"}"}
        """;

    public static string Group(string name, string members, string? groupName = null) => $"""
        apiVersion: ssooperator.dev/v1alpha1
        kind: Group
        metadata: {"{"}name: {name}{"}"}
        spec:
          {(groupName is null ? "" : $"groupName: {groupName}")}
          members: [{members}]
        """;
}
