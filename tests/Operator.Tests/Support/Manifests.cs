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
}
