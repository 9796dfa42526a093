using System.Net;
using System.Text.Json;

namespace SsoOperator.IdP.Tests;

public sealed class DiscoveryTests(IdpHost idp) : IClassFixture<IdpHost>
{
    [Fact]
    public async Task Discovery_Issuer_MatchesConfiguredWithTrailingSlash()
    {
        var discovery = await DiscoveryAsync();

        Assert.Equal(idp.Issuer.ToString(), discovery.GetProperty("issuer").GetString());
        Assert.EndsWith("/", discovery.GetProperty("issuer").GetString(), StringComparison.Ordinal);
        Assert.Equal(idp.Issuer + "connect/token", discovery.GetProperty("token_endpoint").GetString());
    }

    [Fact]
    public async Task Discovery_Capabilities_AdvertiseWhatClientsNeed()
    {
        var discovery = await DiscoveryAsync();

        Assert.Equal(["S256"], Values(discovery, "code_challenge_methods_supported"));
        Assert.Contains("RS256", Values(discovery, "id_token_signing_alg_values_supported"));
        Assert.Contains("form_post", Values(discovery, "response_modes_supported"));
        Assert.Contains("query", Values(discovery, "response_modes_supported"));
        Assert.Contains("client_secret_basic", Values(discovery, "token_endpoint_auth_methods_supported"));
        Assert.Contains("client_secret_post", Values(discovery, "token_endpoint_auth_methods_supported"));
        Assert.Contains("groups", Values(discovery, "scopes_supported"));
        Assert.Contains("email_verified", Values(discovery, "claims_supported"));
        Assert.True(discovery.TryGetProperty("end_session_endpoint", out _));
        Assert.True(discovery.TryGetProperty("introspection_endpoint", out _));
        Assert.True(discovery.TryGetProperty("revocation_endpoint", out _));
    }

    [Fact]
    public async Task Readyz_DatabaseUp_Ok()
    {
        using var http = new HttpClient();

        var response = await http.GetAsync(new Uri(idp.Issuer, "readyz"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<JsonElement> DiscoveryAsync()
    {
        using var http = new HttpClient();
        var discovery = new Uri(idp.Issuer, ".well-known/openid-configuration");
        return JsonDocument.Parse(await http.GetStringAsync(discovery)).RootElement;
    }

    private static List<string?> Values(JsonElement discovery, string name) =>
        [.. discovery.GetProperty(name).EnumerateArray().Select(v => v.GetString())];
}
