using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SsoOperator.IdP.Store;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IdpDbContext"/> on PostgreSQL, OpenIddict's core services on its EF Core stores
    /// (which hash client secrets), and <see cref="IConfigurationStore"/>.
    /// </summary>
    public static IServiceCollection AddConfigurationStore(this IServiceCollection services, string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        services.AddLogging();
        services.AddDbContext<IdpDbContext>(options => options
            .UseNpgsql(connectionString)
            .UseOpenIddict()
            // A failed command surfaces as an exception (StoreUnavailableException when the database is away)
            // that the caller logs once; EF's own Error line per command would log it twice, and a first
            // migration's probe of the missing history table would read like a failure.
            .ConfigureWarnings(w => w.Log((RelationalEventId.CommandError, LogLevel.Debug))));
        services.AddOpenIddict().AddCore(options => options.UseEntityFrameworkCore().UseDbContext<IdpDbContext>());
        services.AddSingleton<IConfigurationStore, ConfigurationStore>();
        return services;
    }
}
