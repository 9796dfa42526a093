using System.Text.Json.Nodes;
using SsoOperator.Crds.Generator;

namespace SsoOperator.Crds.Tests;

public sealed class ExplainTests
{
    public static TheoryData<string> Kinds() => [.. SsoApi.Kinds.Select(info => info.Singular)];

    [Theory]
    [InlineData("provider.spec.oauth2", "An OAuth2/OpenID Connect client", "redirectUris")]
    [InlineData("provider.spec.oauth2.clientSecret", "Where the client secret comes from", "secretRef")]
    [InlineData("provider.spec.proxy", "A client used by an Outpost", "skipPaths")]
    [InlineData("provider.status", "The observed state of a Provider", "issuer")]
    [InlineData("provider.status.conditions", "The current state: Ready (the summary)", "lastTransitionTime")]
    [InlineData("application.spec.access", "Who may sign in", "requireMfa")]
    [InlineData("outpost.spec.deployment", "How the outpost runs", "replicas")]
    [InlineData("source.spec.oidc", "The external OpenID Connect issuer and this IdP's client", "hostedDomain")]
    [InlineData("source.spec.newUsers", "What happens the first time someone", "groups")]
    [InlineData("source.status", "The observed state of a Source", "redirectUri")]
    [InlineData("group.spec", "The desired group", "members")]
    [InlineData("group.status", "The observed state of a Group", "memberCount")]
    public async Task Explain_Field_ShowsDescriptionAndFields(string field, string description, string child)
    {
        var server = await Cluster.WithCrdsAsync();

        var output = await server.FreshKubectlAsync("explain", field);

        Assert.True(output.Contains(description, StringComparison.Ordinal), $"no description in:\n{output}");
        Assert.True(output.Contains(child, StringComparison.Ordinal), $"no {child} in:\n{output}");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Explain_EveryField_HasADescription(string kind)
    {
        var server = await Cluster.WithCrdsAsync();
        var undescribed = new List<string>();

        foreach (var field in Fields(kind))
        {
            var output = await server.FreshKubectlAsync("explain", field);
            var description = output.Split("DESCRIPTION:", 2)[1].Split("FIELDS:")[0].Trim();
            if (description.Length == 0 || description == "<empty>")
            {
                undescribed.Add(field);
            }
        }

        Assert.Empty(undescribed);
    }

    // Every field path of the kind's schema, as kubectl explain spells it (lists are traversed by name).
    private static IEnumerable<string> Fields(string kind)
    {
        var file = CrdGenerator.Generate().Single(file => file.Name.Contains($"_{kind}s.", StringComparison.Ordinal));
        var schema = JsonNode.Parse(YamlJson.Convert(file.Content))!["spec"]!["versions"]![0]!["schema"]!;
        var root = schema["openAPIV3Schema"]!["properties"]!;
        return Walk(root["spec"]!, $"{kind}.spec").Concat(Walk(root["status"]!, $"{kind}.status"));
    }

    private static IEnumerable<string> Walk(JsonNode schema, string path)
    {
        yield return path;
        if ((schema["items"] ?? schema)["properties"] is JsonObject properties)
        {
            foreach (var (name, child) in properties)
            {
                foreach (var field in Walk(child!, $"{path}.{name}"))
                {
                    yield return field;
                }
            }
        }
    }
}
