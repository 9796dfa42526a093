using System.Net;
using Npgsql;
using SsoOperator.Testing;

namespace SsoOperator.IdP.Tests;

public sealed class ReadinessTests(IdpHost idp) : IClassFixture<IdpHost>
{
    [Fact]
    public async Task Readyz_DatabaseGone_UnavailableWhileHealthzStaysUp()
    {
        using var http = new HttpClient();
        var before = await http.GetAsync(new Uri(idp.Issuer, "readyz"));

        await DropDatabaseAsync(idp.ConnectionString);
        var after = await http.GetAsync(new Uri(idp.Issuer, "readyz"));
        var alive = await http.GetAsync(new Uri(idp.Issuer, "healthz"));

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, after.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    private static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        var postgres = await SharedEnvironment.PostgresAsync();
        await using var connection = new NpgsqlConnection(postgres.AdminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
