namespace SsoOperator.Deploy.Tests;

public sealed class FluxSecretsTests
{
    [Fact]
    public void Normalize_SecretWithStringData_MovesValuesIntoDataAsBase64()
    {
        const string rendered = """
            apiVersion: v1
            kind: Secret
            metadata:
              name: grafana-oidc
            stringData:
              client-secret: s3cret
            data:
              other: b2s=
            ---
            apiVersion: ssooperator.dev/v1alpha1
            kind: Application
            spec:
              access:
                requireMfa: true
            """;

        var objects = Manifests.Parse(FluxSecrets.Normalize(rendered));

        Assert.Null(objects[0]["stringData"]);
        Assert.Equal("czNjcmV0", objects[0]["data"]!["client-secret"]!.ToString());
        Assert.Equal("b2s=", objects[0]["data"]!["other"]!.ToString());
        Assert.Equal("true", objects[1]["spec"]!["access"]!["requireMfa"]!.ToString());
    }

    [Fact]
    public void Normalize_PlainBoolean_StaysUnquoted()
    {
        var text = FluxSecrets.Normalize("kind: Application\nspec:\n  requireMfa: true\n");

        Assert.Contains("requireMfa: true", text, StringComparison.Ordinal);
    }
}
