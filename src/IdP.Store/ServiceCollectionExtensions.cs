using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

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
            .UseOpenIddict());
        services.AddOpenIddict().AddCore(options => options.UseEntityFrameworkCore().UseDbContext<IdpDbContext>());
        services.AddSingleton<IConfigurationStore, ConfigurationStore>();
        return services;
    }
}
