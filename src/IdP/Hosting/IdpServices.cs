using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Server;
using SsoOperator.IdP.Accounts;
using SsoOperator.IdP.Federation;
using SsoOperator.IdP.Keys;
using SsoOperator.IdP.Mfa;
using SsoOperator.IdP.Protocol;
using SsoOperator.IdP.Store;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SsoOperator.IdP.Hosting;

/// <summary>The IdP's services: store, Identity, OpenIddict server, keys, pages, probes.</summary>
public static class IdpServices
{
    public static IServiceCollection AddIdp(this IServiceCollection services, IConfiguration configuration)
    {
        var options = ReadOptions(configuration);
        services.AddSingleton(Options.Create(options));
        services.AddSingleton(TimeProvider.System);
        services.AddConfigurationStore(configuration.GetConnectionString("Idp")
            ?? throw new InvalidOperationException("Set ConnectionStrings:Idp to the IdP's PostgreSQL database."));
        services.AddMemoryCache();
        services.AddAuthorization();
        services.AddDataProtection().SetApplicationName("SsoOperator.IdP").PersistKeysToDbContext<IdpDbContext>();

        AddIdentity(services, options);
        services.AddMfa(options.Mfa);
        AddOpenIddictServer(services, options);
        services.Configure<ForwardedHeadersOptions>(forwarded => TrustProxies(forwarded, options.TrustedProxies));
        services.AddHealthChecks().AddDbContextCheck<IdpDbContext>("database", tags: [Probes.ReadyTag]);

        services.AddSigningKeys();
        services.AddSingleton<Audit>();
        services.AddScoped<AccessPolicy>();
        services.AddScoped<SetupLinks>();
        AddFederation(services);
        return services;
    }

    // Federated login: one discovery cache for the process; the per-request pieces are scoped like Identity's.
    private static void AddFederation(IServiceCollection services)
    {
        services.AddSingleton<IssuerClient>();
        services.AddSingleton<IdTokenValidator>();
        services.AddSingleton<FederationCookies>();
        services.AddScoped<FederatedAccounts>();
        services.AddScoped<FederatedSignIn>();
    }

    private static IdpOptions ReadOptions(IConfiguration configuration)
    {
        var options = configuration.GetSection(IdpOptions.Section).Get<IdpOptions>() ?? new IdpOptions();
        if (options.Issuer is not { IsAbsoluteUri: true } issuer)
        {
            throw new InvalidOperationException(
                "Set Idp:Issuer to the IdP's absolute URL, e.g. https://sso.example.com/");
        }
        // One form everywhere: the issuer ends with a slash (discovery, tokens and the operator's output).
        options.Issuer = issuer.AbsolutePath.EndsWith('/') ? issuer : new Uri(issuer + "/");
        return options;
    }

    private static void AddIdentity(IServiceCollection services, IdpOptions options)
    {
        services.AddIdentity<IdpUser, IdpGroup>(identity =>
            {
                identity.Lockout.MaxFailedAccessAttempts = options.MaxFailedSignIns;
                identity.Lockout.DefaultLockoutTimeSpan = options.LockoutDuration;
                identity.Lockout.AllowedForNewUsers = true;
                identity.ClaimsIdentity.UserIdClaimType = Claims.Subject;
                identity.ClaimsIdentity.UserNameClaimType = Claims.Name;
            })
            .AddEntityFrameworkStores<IdpDbContext>()
            .AddDefaultTokenProviders();
        services.Configure<PasswordHasherOptions>(hasher => hasher.IterationCount = options.PasswordHashIterations);
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "sso.idp.session";
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.LoginPath = AccountEndpoints.LoginPath;
            cookie.LogoutPath = AccountEndpoints.LogoutPath;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
        });
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "sso.idp.antiforgery";
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
    }

    private static void AddOpenIddictServer(IServiceCollection services, IdpOptions options)
    {
        services.AddOpenIddict()
            .AddCore(core => core.ReplaceApplicationManager<
                OpenIddictEntityFrameworkCoreApplication, CachingApplicationManager>())
            .AddServer(server =>
            {
                server.SetIssuer(options.Issuer!);
                server.SetAuthorizationEndpointUris(AuthorizationEndpoint.Path.TrimStart('/'))
                    .SetTokenEndpointUris(TokenEndpoint.Path.TrimStart('/'))
                    .SetUserInfoEndpointUris(UserInfoEndpoint.Path.TrimStart('/'))
                    .SetEndSessionEndpointUris(EndSessionEndpoint.Path.TrimStart('/'))
                    .SetIntrospectionEndpointUris("connect/introspect")
                    .SetRevocationEndpointUris("connect/revoke")
                    .SetJsonWebKeySetEndpointUris(".well-known/jwks");
                server.AllowAuthorizationCodeFlow().AllowRefreshTokenFlow().AllowClientCredentialsFlow();
                server.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, UserClaims.GroupsScope,
                    Scopes.OfflineAccess);
                server.RegisterClaims(Claims.Subject, Claims.Name, Claims.PreferredUsername, Claims.Email,
                    Claims.EmailVerified, UserClaims.GroupsClaim, AuthenticationMethods.AmrClaim,
                    AuthenticationMethods.AcrClaim);
                // Access tokens are signed JWTs, not encrypted: resource servers and proxies read them.
                server.DisableAccessTokenEncryption();
                server.SetAuthorizationCodeLifetime(options.AuthorizationCodeLifetime);
                server.AddEventHandler(ClientAuthenticationMethodPolicy.Descriptor);

                var aspNetCore = server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    // Note: errors OpenIddict would render itself, as plain text, reach our endpoints instead
                    // (RejectedRequestPage); redirected errors and the JSON ones (token, userinfo) are unchanged.
                    .EnableErrorPassthrough();
                if (options.Issuer!.Scheme == Uri.UriSchemeHttp)
                {
                    // Note: an http issuer is for loopback and tests; behind a TLS proxy the issuer is https.
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            });
        services.AddOptions<OpenIddictServerOptions>().Configure<SigningKeyRing>(UseKeys);
    }

    private static void UseKeys(OpenIddictServerOptions server, SigningKeyRing ring)
    {
        // Only S256: "plain" PKCE offers nothing over no PKCE once the request is observed.
        server.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain);
        foreach (var key in ring.SigningKeys)
        {
            server.SigningCredentials.Add(new(key, Microsoft.IdentityModel.Tokens.SecurityAlgorithms.RsaSha256));
        }
        foreach (var key in ring.EncryptionKeys)
        {
            server.EncryptionCredentials.Add(new(key, Microsoft.IdentityModel.Tokens.SecurityAlgorithms.RsaOAEP,
                Microsoft.IdentityModel.Tokens.SecurityAlgorithms.Aes256CbcHmacSha512));
        }
    }

    private static void TrustProxies(ForwardedHeadersOptions forwarded, IEnumerable<string> proxies)
    {
        forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto
            | ForwardedHeaders.XForwardedHost;
        // The defaults trust loopback; only the configured proxies may speak for the client.
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
        {
            if (proxy.Contains('/', StringComparison.Ordinal))
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
            }
            else
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }
        }
    }
}
