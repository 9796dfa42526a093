using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using SsoOperator.IdP.Protocol;
using Xunit.Abstractions;

namespace SsoOperator.IdP.Tests;

public sealed class CachingApplicationManagerTests(IdpHost idp, ITestOutputHelper output) : IClassFixture<IdpHost>
{
    private const int Rounds = 10;

    [Fact]
    public async Task ValidateClientSecret_RepeatedRightSecret_FarCheaperThanTheSlowHash()
    {
        var client = await Scenario.ClientAsync(idp, grants: ["client_credentials"]);
        await using var scope = idp.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var application = (await manager.FindByClientIdAsync(client.ClientId))!;
        Assert.True(await manager.ValidateClientSecretAsync(application, client.Secret!));

        // Wrong secrets are never remembered: each one pays OpenIddict's PBKDF2 comparison.
        var slow = await TimeAsync(async i =>
            Assert.False(await manager.ValidateClientSecretAsync(application, $"wrong-{i}")));
        var cached = await TimeAsync(async _ =>
            Assert.True(await manager.ValidateClientSecretAsync(application, client.Secret!)));

        output.WriteLine($"{Rounds} slow checks: {slow.TotalMilliseconds:F1} ms; " +
            $"{Rounds} cached checks: {cached.TotalMilliseconds:F3} ms");
        Assert.IsType<CachingApplicationManager>(manager);
        Assert.True(cached * 10 < slow, $"cached {cached} is not ten times cheaper than {slow}");
    }

    private static async Task<TimeSpan> TimeAsync(Func<int, Task> check)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Rounds; i++)
        {
            await check(i);
        }
        return watch.Elapsed;
    }
}
