using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using SsoOperator.IdP.Mfa;
using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Tests.Mfa;

/// <summary>Accept-once on real PostgreSQL, with the store's clock set by the test.</summary>
public sealed class MfaStoreTests(IdpHost idp) : IClassFixture<IdpHost>
{
    private static readonly DateTimeOffset Enrolled = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    [Fact]
    public async Task TryAcceptCode_SameCodeTwiceConcurrently_ExactlyOneSuccess()
    {
        var (user, secret) = await EnrolledUserAsync();

        // Several rounds, each eight requests racing with one code, so that a lucky interleaving proves nothing.
        for (var round = 1; round <= 5; round++)
        {
            var now = Enrolled.AddSeconds(90 * round);
            var code = TotpCodes.Compute(secret, now);
            var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => AcceptAsync(user, code, now)));

            Assert.Equal(1, attempts.Count(accepted => accepted));
        }
    }

    [Fact]
    public async Task TryAcceptCode_SameCodeAgainLater_Refused()
    {
        var (user, secret) = await EnrolledUserAsync();
        var at = Enrolled.AddSeconds(60);
        var code = TotpCodes.Compute(secret, at);

        Assert.True(await AcceptAsync(user, code, at));
        Assert.False(await AcceptAsync(user, code, at.AddSeconds(10)));
    }

    [Fact]
    public async Task TryAcceptCode_OlderStepAfterNewerAccepted_Refused()
    {
        var (user, secret) = await EnrolledUserAsync();
        var at = Enrolled.AddSeconds(300);

        Assert.True(await AcceptAsync(user, TotpCodes.Compute(secret, at.AddSeconds(30)), at));
        // Within the drift window, but older than what was already used.
        Assert.False(await AcceptAsync(user, TotpCodes.Compute(secret, at), at));
        Assert.False(await AcceptAsync(user, TotpCodes.Compute(secret, at.AddSeconds(-30)), at));
    }

    [Theory]
    [InlineData(-1, true)]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(-2, false)]
    [InlineData(2, false)]
    public async Task TryAcceptCode_DriftInSteps_AcceptedOnlyWithinOne(int drift, bool accepted)
    {
        var (user, secret) = await EnrolledUserAsync();
        var now = Enrolled.AddSeconds(600);

        Assert.Equal(accepted, await AcceptAsync(user, TotpCodes.Compute(secret, now.AddSeconds(30 * drift)), now));
    }

    [Fact]
    public async Task TryUseRecoveryCode_UsedOnce_RefusedTheSecondTime()
    {
        var (user, _) = await EnrolledUserAsync();
        IReadOnlyList<string> codes;
        await using (var scope = idp.Services.CreateAsyncScope())
        {
            codes = await Store(scope, Enrolled).NewRecoveryCodesAsync(user, 10, default);
        }

        Assert.Equal(10, codes.Distinct().Count());
        Assert.True(await UseRecoveryCodeAsync(user, codes[3]));
        Assert.False(await UseRecoveryCodeAsync(user, codes[3]));
        Assert.False(await UseRecoveryCodeAsync(user, "aaaaa-aaaaa"));
        Assert.Equal(9, await MfaScenario.UnusedRecoveryCodesAsync(idp, user));
    }

    [Fact]
    public async Task TryUseRecoveryCode_SameCodeConcurrently_ExactlyOneSuccess()
    {
        var (user, _) = await EnrolledUserAsync();
        await using var scope = idp.Services.CreateAsyncScope();
        var codes = await Store(scope, Enrolled).NewRecoveryCodesAsync(user, 10, default);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => UseRecoveryCodeAsync(user, codes[0])));

        Assert.Equal(1, attempts.Count(used => used));
    }

    [Fact]
    public async Task NewRecoveryCodes_Regenerated_OldCodesNoLongerWork()
    {
        var (user, _) = await EnrolledUserAsync();
        await using var scope = idp.Services.CreateAsyncScope();
        var old = await Store(scope, Enrolled).NewRecoveryCodesAsync(user, 10, default);
        var fresh = await Store(scope, Enrolled).NewRecoveryCodesAsync(user, 10, default);

        Assert.False(await UseRecoveryCodeAsync(user, old[0]));
        Assert.True(await UseRecoveryCodeAsync(user, fresh[0]));
    }

    [Fact]
    public async Task Secret_AtRest_IsProtectedNotPlain()
    {
        var (user, secret) = await EnrolledUserAsync();
        await using var scope = idp.Services.CreateAsyncScope();
        var stored = scope.ServiceProvider.GetRequiredService<IdpDbContext>().MfaDevices.Single(d => d.UserId == user);

        Assert.DoesNotContain(Convert.ToBase64String(secret), stored.ProtectedSecret, StringComparison.Ordinal);
        Assert.DoesNotContain(TotpCodes.Base32(secret), stored.ProtectedSecret, StringComparison.Ordinal);
        Assert.Equal(secret, Store(scope, Enrolled).Secret(stored));
    }

    private async Task<(string UserId, byte[] Secret)> EnrolledUserAsync()
    {
        var user = await idp.CreateUserAsync(Scenario.Unique("otp"), Scenario.Password);
        await using var scope = idp.Services.CreateAsyncScope();
        var store = Store(scope, Enrolled);
        var device = await store.PendingDeviceAsync(user.Id, default) ?? throw new InvalidOperationException();
        var secret = store.Secret(device);
        Assert.True(await store.TryAcceptCodeAsync(device, TotpCodes.Compute(secret, Enrolled), true, default));
        Assert.Null(await store.PendingDeviceAsync(user.Id, default));
        return (user.Id, secret);
    }

    // Each attempt in its own scope (own DbContext and connection), as two requests would be.
    private async Task<bool> AcceptAsync(string userId, string code, DateTimeOffset now)
    {
        await using var scope = idp.Services.CreateAsyncScope();
        var store = Store(scope, now);
        var device = await store.ConfirmedDeviceAsync(userId, default) ?? throw new InvalidOperationException();
        return await store.TryAcceptCodeAsync(device, code, confirm: false, default);
    }

    private async Task<bool> UseRecoveryCodeAsync(string userId, string code)
    {
        await using var scope = idp.Services.CreateAsyncScope();
        return await Store(scope, Enrolled).TryUseRecoveryCodeAsync(userId, code, default);
    }

    private static MfaStore Store(AsyncServiceScope scope, DateTimeOffset now) => new(
        scope.ServiceProvider.GetRequiredService<IdpDbContext>(),
        scope.ServiceProvider.GetRequiredService<IDataProtectionProvider>(), new FixedClock(now));

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
