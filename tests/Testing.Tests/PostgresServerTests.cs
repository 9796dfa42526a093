using Npgsql;

namespace SsoOperator.Testing.Tests;

public sealed class PostgresServerTests
{
    [Fact]
    public async Task CreateDatabase_TableWrittenAndReadBack_ReturnsTheRow()
    {
        var server = await SharedEnvironment.PostgresAsync();
        var connectionString = await server.CreateDatabaseAsync("foundation_roundtrip");

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand(
            "CREATE TABLE greeting (id int PRIMARY KEY, text text NOT NULL); " +
            "INSERT INTO greeting VALUES (1, 'hello from a real server')", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        const string Query = "SELECT text, current_setting('server_version_num')::int FROM greeting";
        await using var select = new NpgsqlCommand(Query, connection);
        await using var reader = await select.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("hello from a real server", reader.GetString(0));
        Assert.True(reader.GetInt32(1) >= 120000, "expected a real PostgreSQL 12 or later");
    }
}
