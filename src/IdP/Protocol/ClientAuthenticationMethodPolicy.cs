using Microsoft.AspNetCore;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Server;
using SsoOperator.IdP.Store;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace SsoOperator.IdP.Protocol;

/// <summary>
/// Refuses a client secret presented by a method its client does not allow (client_secret_basic or
/// client_secret_post, per client). OpenIddict itself refuses a request that uses both at once.
/// </summary>
public sealed class ClientAuthenticationMethodPolicy(IdpDbContext db)
    : IOpenIddictServerHandler<ProcessAuthenticationContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
            .UseScopedHandler<ClientAuthenticationMethodPolicy>()
            .SetOrder(OpenIddictServerHandlers.ValidateClientSecret.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrEmpty(context.ClientId) || string.IsNullOrEmpty(context.ClientSecret))
        {
            return;
        }

        var method = UsedBasic(context) ? ClientAuthenticationMethods.ClientSecretBasic
            : ClientAuthenticationMethods.ClientSecretPost;
        var allowed = await db.ClientRegistrations.AsNoTracking()
            .Where(r => r.ClientId == context.ClientId)
            .Select(r => r.TokenEndpointAuthMethods)
            .FirstOrDefaultAsync(context.CancellationToken);
        if (allowed is { Count: > 0 } && !allowed.Contains(method))
        {
            // RFC 6749, section 5.2: a client authentication failure is invalid_client.
            context.Reject(Errors.InvalidClient,
                $"The client authentication method '{method}' is not allowed for this client.");
        }
    }

    private static bool UsedBasic(ProcessAuthenticationContext context) =>
        context.Transaction.GetHttpRequest()?.Headers.Authorization.ToString()
            .StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) == true;
}
