using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using SsoOperator.IdP.Protocol;

namespace SsoOperator.IdP.Tests;

/// <summary>
/// The remembered secret checks. How much cheaper a remembered check is belongs to `make bench`; here the
/// behaviour: only a right secret is remembered, once, and a remembered one answers again.
/// </summary>
public sealed class CachingApplicationManagerTests(IdpHost idp) : IClassFixture<IdpHost>
{
    [Fact]
    public async Task ValidateClientSecret_RightSecretTwice_RememberedOnceWrongNever()
    {
        var client = await Scenario.ClientAsync(idp, grants: ["client_credentials"]);
        await using var scope = idp.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var remembered = (MemoryCache)scope.ServiceProvider.GetRequiredService<IMemoryCache>();
        var application = (await manager.FindByClientIdAsync(client.ClientId))!;
        var before = remembered.Count;

        var wrong = await manager.ValidateClientSecretAsync(application, "wrong-secret");
        var afterWrong = remembered.Count;
        var first = await manager.ValidateClientSecretAsync(application, client.Secret!);
        var afterFirst = remembered.Count;
        var second = await manager.ValidateClientSecretAsync(application, client.Secret!);

        Assert.IsType<CachingApplicationManager>(manager);
        Assert.False(wrong);
        Assert.Equal(before, afterWrong);
        Assert.True(first);
        Assert.Equal(before + 1, afterFirst);
        Assert.True(second);
        Assert.Equal(afterFirst, remembered.Count);
    }
}
