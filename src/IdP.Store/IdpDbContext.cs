using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace SsoOperator.IdP.Store;

/// <summary>
/// The IdP's schema: ASP.NET Core Identity (users, groups), OpenIddict (applications, authorizations,
/// scopes, tokens), Data Protection keys, and our own tables.
/// </summary>
public sealed class IdpDbContext(DbContextOptions<IdpDbContext> options)
    : IdentityDbContext<IdpUser, IdpGroup, string>(options), IDataProtectionKeyContext
{
    public DbSet<ClientRegistration> ClientRegistrations => Set<ClientRegistration>();

    public DbSet<ApplicationRecord> Applications => Set<ApplicationRecord>();

    public DbSet<SigningKeyRecord> SigningKeys => Set<SigningKeyRecord>();

    public DbSet<SetupTokenRecord> SetupTokens => Set<SetupTokenRecord>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<SourceRecord> Sources => Set<SourceRecord>();

    public DbSet<MfaDeviceRecord> MfaDevices => Set<MfaDeviceRecord>();

    public DbSet<RecoveryCodeRecord> RecoveryCodes => Set<RecoveryCodeRecord>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.UseOpenIddict();

        builder.Entity<ClientRegistration>(e =>
        {
            e.ToTable("sso_client_registrations");
            e.HasKey(r => r.ClientId);
            e.Ignore(r => r.Owner);
            e.HasIndex(r => new { r.OwnerKind, r.OwnerNamespace, r.OwnerName });
        });
        builder.Entity<ApplicationRecord>(e =>
        {
            e.ToTable("sso_applications");
            e.HasKey(a => a.Slug);
            e.Ignore(a => a.Owner);
            e.HasIndex(a => a.ClientId);
        });
        builder.Entity<SigningKeyRecord>(e => e.ToTable("sso_signing_keys"));
        builder.Entity<SetupTokenRecord>(e =>
        {
            e.ToTable("sso_setup_tokens");
            e.HasIndex(t => t.TokenHash).IsUnique();
        });
        ConfigureMfa(builder);
        ConfigureFederation(builder);
    }

    private static void ConfigureFederation(ModelBuilder builder)
    {
        builder.Entity<SourceRecord>(e =>
        {
            e.ToTable("sso_sources");
            e.HasKey(s => s.Slug);
            e.Ignore(s => s.Owner);
        });
        builder.Entity<IdpGroup>(e =>
        {
            e.Ignore(g => g.Owner);
            // Groups that existed before this column are groups without declared members.
            e.Property(g => g.Members).HasDefaultValueSql("'{}'::text[]");
            // Sign-in asks "which groups list this name or email": a GIN index answers that for text[].
            e.HasIndex(g => g.Members).HasMethod("gin");
        });
    }

    private static void ConfigureMfa(ModelBuilder builder)
    {
        builder.Entity<MfaDeviceRecord>(e =>
        {
            e.ToTable("sso_mfa_devices");
            // One authenticator per user; a user's rows go with the user.
            e.HasIndex(d => d.UserId).IsUnique();
            e.HasOne<IdpUser>().WithMany().HasForeignKey(d => d.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<RecoveryCodeRecord>(e =>
        {
            e.ToTable("sso_mfa_recovery_codes");
            e.HasIndex(c => new { c.UserId, c.CodeHash }).IsUnique();
            e.HasOne<IdpUser>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
