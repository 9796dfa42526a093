using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace SsoOperator.IdP.Mfa;

/// <summary>Registers the two-factor services and settles the cookies they rely on.</summary>
public static class MfaServices
{
    /// <summary>Call after AddIdentity: it adjusts the cookie schemes Identity registered.</summary>
    public static IServiceCollection AddMfa(this IServiceCollection services, MfaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddScoped<MfaStore>();
        services.AddScoped<MfaSignIn>();
        services.Configure<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme, cookie =>
        {
            cookie.Cookie.Name = "sso.idp.pending";
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = options.PendingSignInLifetime;
            cookie.SlidingExpiration = false;
        });
        // Identity rebuilds the session principal every 30 minutes; how the user signed in must survive it.
        services.Configure<SecurityStampValidatorOptions>(validator =>
            validator.OnRefreshingPrincipal = KeepAuthenticationMethods);
        return services;
    }

    internal static Task KeepAuthenticationMethods(SecurityStampRefreshingPrincipalContext context)
    {
        var identity = context.NewPrincipal?.Identity as System.Security.Claims.ClaimsIdentity;
        if (identity is null || context.CurrentPrincipal is null)
        {
            return Task.CompletedTask;
        }
        foreach (var claim in identity.FindAll(c => c.Type is AuthenticationMethods.AmrClaim
            or AuthenticationMethods.AcrClaim).ToList())
        {
            identity.RemoveClaim(claim);
        }
        var amr = AuthenticationMethods.Read(context.CurrentPrincipal);
        identity.AddClaims(
            AuthenticationMethods.SessionClaims(amr.Count > 0 ? amr : AuthenticationMethods.PasswordOnly));
        return Task.CompletedTask;
    }
}
