using Microsoft.EntityFrameworkCore;

namespace SsoOperator.IdP.Store.Tests;

public sealed class SourceWriterTests(StoreDatabase database) : IClassFixture<StoreDatabase>
{
    private static readonly ResourceOwner Owner = new("Source", "sso", "google");
    private static readonly ResourceOwner Other = new("Source", "other", "google");

    private IConfigurationStore Store => database.Store;

    [Fact]
    public async Task Upsert_NewThenSame_CreatedThenUnchangedWithoutWrites()
    {
        var source = Source("same-" + Guid.NewGuid().ToString("N"));

        var first = await Store.UpsertSourceAsync(source, default);
        var before = await RowVersionAsync(source.Slug);
        var second = await Store.UpsertSourceAsync(source with { Scopes = ["profile", "openid", "email", "email"] },
            default);

        Assert.Equal(UpsertOutcome.Created, first.Outcome);
        Assert.Equal(UpsertOutcome.Unchanged, second.Outcome);
        Assert.Equal(before, await RowVersionAsync(source.Slug));
        var stored = await RecordAsync(source.Slug);
        Assert.Equal(("google-client", "s3cret-federation-1"), (stored.ClientId, stored.ClientSecret));
        Assert.Equal(["email", "openid", "profile"], stored.Scopes);
        Assert.Equal(Owner, stored.Owner);
    }

    [Fact]
    public async Task Upsert_IssuerWithoutPath_StoredExactlyAsItsIdTokensSayIt()
    {
        var source = Source("exact-" + Guid.NewGuid().ToString("N"));

        await Store.UpsertSourceAsync(source, default);

        Assert.Equal("https://accounts.google.com", (await RecordAsync(source.Slug)).Issuer);
        Assert.Equal(UpsertOutcome.Unchanged, (await Store.UpsertSourceAsync(source, default)).Outcome);
    }

    [Fact]
    public async Task Upsert_FieldsChanged_UpdatedNamesFieldsButNeverValues()
    {
        var source = Source("update-" + Guid.NewGuid().ToString("N"));
        await Store.UpsertSourceAsync(source, default);

        var result = await Store.UpsertSourceAsync(source with
        {
            ClientSecret = "rotated-federation-2", HostedDomain = "example.com", NewUserGroups = ["family"],
        }, default);

        Assert.Equal(UpsertOutcome.Updated, result.Outcome);
        Assert.Equal(["ClientSecret", "HostedDomain", "NewUserGroups"], result.Changed);
        Assert.DoesNotContain("rotated-federation-2", result.ToString(), StringComparison.Ordinal);
        var stored = await RecordAsync(source.Slug);
        Assert.Equal(("rotated-federation-2", "example.com"), (stored.ClientSecret, stored.HostedDomain));
        Assert.Equal(["family"], stored.NewUserGroups);
    }

    [Fact]
    public async Task Upsert_HeldByAnotherOwner_ConflictNamesHolderAndKeepsRow()
    {
        var source = Source("held-" + Guid.NewGuid().ToString("N"));
        await Store.UpsertSourceAsync(source, default);

        var result = await Store.UpsertSourceAsync(source with { Owner = Other, ClientId = "hijack" }, default);

        Assert.Equal(UpsertOutcome.Conflict, result.Outcome);
        Assert.Equal(Owner, result.HeldBy);
        Assert.Equal("google-client", (await RecordAsync(source.Slug)).ClientId);
    }

    [Fact]
    public async Task Delete_ByOtherOwnerThenByOwner_FalseThenTrueAndGone()
    {
        var source = Source("delete-" + Guid.NewGuid().ToString("N"));
        await Store.UpsertSourceAsync(source, default);

        var byOther = await Store.DeleteSourceAsync(source.Slug, Other, default);
        var byOwner = await Store.DeleteSourceAsync(source.Slug, Owner, default);
        var again = await Store.DeleteSourceAsync(source.Slug, Owner, default);

        Assert.Equal((false, true, false), (byOther, byOwner, again));
        Assert.False(await database.WithDbAsync((db, _) => db.Sources.AnyAsync(s => s.Slug == source.Slug)));
    }

    private static SourceDefinition Source(string slug) => new(
        slug, "Google", new Uri("https://accounts.google.com"), "google-client", "s3cret-federation-1",
        ["openid", "profile", "email"], HostedDomain: null, UsernameClaim: "email", CreateUsers: true,
        NewUserGroups: [], Owner);

    private Task<SourceRecord> RecordAsync(string slug) =>
        database.WithDbAsync((db, _) => db.Sources.AsNoTracking().SingleAsync(s => s.Slug == slug));

    // xmin is PostgreSQL's id of the transaction that last wrote a row: unchanged xmin means no write.
    private Task<long> RowVersionAsync(string slug) => database.WithDbAsync((db, _) => db.Database
        .SqlQuery<long>($"SELECT xmin::text::bigint AS \"Value\" FROM sso_sources WHERE \"Slug\" = {slug}")
        .SingleAsync());
}
