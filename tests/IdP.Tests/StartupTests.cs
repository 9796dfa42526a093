using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SsoOperator.IdP.Store;
using SsoOperator.Testing;

namespace SsoOperator.IdP.Tests;

public sealed class StartupTests(IdpHost idp) : IClassFixture<IdpHost>
{
    [Fact]
    public async Task Prepare_CheckOnlyOnEmptyDatabase_RefusesToStartNamingTheFix()
    {
        var postgres = await SharedEnvironment.PostgresAsync();
        var connectionString = await postgres.CreateDatabaseAsync($"check_{Guid.NewGuid():N}");
        await using var app = IdpApp.Build(["--urls", "http://127.0.0.1:0",
            $"--ConnectionStrings:Idp={connectionString}", "--Idp:Issuer=http://127.0.0.1:9/",
            "--Idp:Migrations=check", "--Logging:LogLevel:Default=Warning"]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => IdpApp.PrepareAsync(app, CancellationToken.None));

        Assert.Contains("Idp:Migrations=apply", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_IssuerWithoutTrailingSlash_NormalisedToOneForm()
    {
        var app = IdpApp.Build(["--ConnectionStrings:Idp=Host=127.0.0.1", "--Idp:Issuer=https://sso.example.com"]);

        var options = app.Services.GetRequiredService<IOptions<IdpOptions>>().Value;

        Assert.Equal("https://sso.example.com/", options.Issuer!.ToString());
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Subject_UserDeletedAndNameReused_NewUserGetsNewSubject()
    {
        var name = Scenario.Unique("reuse");
        var first = await idp.CreateUserAsync(name, Scenario.Password);
        await using (var scope = idp.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>();
            Assert.True((await users.DeleteAsync((await users.FindByIdAsync(first.Id))!)).Succeeded);
        }

        var second = await idp.CreateUserAsync(name, Scenario.Password);

        Assert.NotEqual(first.Id, second.Id);
        Assert.True(Guid.TryParse(second.Id, out _));
    }
}
