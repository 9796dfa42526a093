namespace SsoOperator.Crds.Tests;

public sealed class ExplainTests
{
    [Theory]
    [InlineData("provider.spec.oauth2", "An OAuth2/OpenID Connect client", "redirectUris")]
    [InlineData("provider.spec.oauth2.clientSecret", "Where the client secret comes from", "secretRef")]
    [InlineData("provider.spec.proxy", "A client used by an Outpost", "skipPaths")]
    [InlineData("provider.status", "The observed state of a Provider", "issuer")]
    [InlineData("provider.status.conditions", "at most one of each type", "lastTransitionTime")]
    [InlineData("application.spec.access", "Who may sign in", "requireMfa")]
    [InlineData("outpost.spec.deployment", "How the outpost runs", "replicas")]
    public async Task Explain_Field_ShowsDescriptionAndFields(string field, string description, string child)
    {
        var server = await Cluster.WithCrdsAsync();

        var output = await server.FreshKubectlAsync("explain", field);

        Assert.Contains(description, output, StringComparison.Ordinal);
        Assert.Contains(child, output, StringComparison.Ordinal);
    }
}
