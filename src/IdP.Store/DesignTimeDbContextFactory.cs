using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace SsoOperator.IdP.Store;

/// <summary>Lets `dotnet ef migrations add` build the model without a running database.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<IdpDbContext>
{
    public IdpDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<IdpDbContext>()
            .UseNpgsql("Host=127.0.0.1;Database=design_time")
            .UseOpenIddict()
            .Options;
        return new IdpDbContext(options);
    }
}
