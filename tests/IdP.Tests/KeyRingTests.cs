using System.Text.Json;

namespace SsoOperator.IdP.Tests;

public sealed class KeyRingTests(IdpHost idp) : IClassFixture<IdpHost>
{
    [Fact]
    public async Task Restart_SameKeysPublished_OldTokenStillVerifies()
    {
        var client = await Scenario.ClientAsync(idp, grants: ["client_credentials"]);
        var token = (await client.PostAsync("connect/token", new() { ["grant_type"] = "client_credentials" }))
            ["access_token"]!;
        var before = await KeyIdsAsync();

        await idp.RestartAsync();

        Assert.Equal(before, await KeyIdsAsync());
        Assert.Equal(client.ClientId, (await Scenario.VerifyAsync(idp, token)).Subject);
    }

    [Fact]
    public async Task Rotation_NewKeySignsOldKeyStillPublished()
    {
        var client = await Scenario.ClientAsync(idp, grants: ["client_credentials"]);
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };
        var oldToken = (await client.PostAsync("connect/token", new(form)))["access_token"]!;
        var before = await KeyIdsAsync();

        await idp.RestartAsync("--Idp:Keys:RotateAfter=00:00:00");
        var newToken = (await client.PostAsync("connect/token", new(form)))["access_token"]!;
        var after = await KeyIdsAsync();
        await idp.RestartAsync();

        Assert.Equal(before.Count + 1, after.Count);
        Assert.Subset(after.ToHashSet(), before.ToHashSet());
        var signedBy = (await Scenario.VerifyAsync(idp, newToken)).Kid;
        Assert.DoesNotContain(signedBy, before);
        Assert.Equal(client.ClientId, (await Scenario.VerifyAsync(idp, oldToken)).Subject);
    }

    [Fact]
    public async Task RunningIdp_KeyDue_IntroducedAndUsedWithoutRestart()
    {
        var client = await Scenario.ClientAsync(idp, grants: ["client_credentials"]);
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };
        await idp.RestartAsync("--Idp:Keys:RotateAfter=00:00:03", "--Idp:Keys:CheckInterval=00:00:01");
        var before = await KeyIdsAsync();
        var firstKid = (await Scenario.VerifyAsync(idp,
            (await client.PostAsync("connect/token", new(form)))["access_token"]!)).Kid;

        // Due after 3 s, checked every second: 8 s leaves room for a slow machine.
        await Task.Delay(TimeSpan.FromSeconds(8));
        var laterToken = (await client.PostAsync("connect/token", new(form)))["access_token"]!;
        var after = await KeyIdsAsync();
        var laterKid = (await Scenario.VerifyAsync(idp, laterToken)).Kid;
        await idp.RestartAsync();

        Assert.NotEqual(firstKid, laterKid);
        Assert.Contains(firstKid, after);
        Assert.True(after.Count > before.Count, $"{after.Count} keys after, {before.Count} before");
    }

    private async Task<List<string>> KeyIdsAsync()
    {
        using var http = new HttpClient();
        var jwks = JsonDocument.Parse(await http.GetStringAsync(new Uri(idp.Issuer, ".well-known/jwks")));
        return [.. jwks.RootElement.GetProperty("keys").EnumerateArray()
            .Select(k => k.GetProperty("kid").GetString()!).Order(StringComparer.Ordinal)];
    }
}
