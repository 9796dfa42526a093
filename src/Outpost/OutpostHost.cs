using SsoOperator.Outpost.Configuration;
using SsoOperator.Outpost.Gate;
using SsoOperator.Outpost.Oidc;
using SsoOperator.Outpost.Sessions;

namespace SsoOperator.Outpost;

/// <summary>Builds the outpost web host; Program runs it, tests start several on loopback ports.</summary>
public static class OutpostHost
{
    /// <summary>
    /// Settings: Outpost:ConfigPath (or --config), Outpost:PollInterval, Outpost:LogFormat (json | text);
    /// listening addresses as usual for ASP.NET Core (ASPNETCORE_URLS or --urls).
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Configuration.AddCommandLine(args,
            new Dictionary<string, string> { ["--config"] = "Outpost:ConfigPath" });
        ConfigureLogging(builder);
        // Note: bodies stream through to the app, so the app's own limit is the one that counts.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        builder.Services.Configure<ConfigWatcherOptions>(o =>
        {
            o.Path = builder.Configuration["Outpost:ConfigPath"] ?? o.Path;
            if (TimeSpan.TryParse(builder.Configuration["Outpost:PollInterval"], out var interval))
            {
                o.PollInterval = interval;
            }
        });
        AddServices(builder.Services);
        customize?.Invoke(builder);

        var app = builder.Build();
        app.UseWebSockets();
        var gate = app.Services.GetRequiredService<OutpostGate>();
        app.Run(gate.InvokeAsync);
        return app;
    }

    /// <summary>Reads the config once before serving, so the first request already has it.</summary>
    public static void LoadConfig(WebApplication app) => app.Services.GetRequiredService<ConfigWatcher>().LoadOnce();

    private static void AddServices(IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ConfigState>();
        services.AddSingleton<ConfigWatcher>();
        services.AddHostedService(s => s.GetRequiredService<ConfigWatcher>());
        services.AddSingleton<SessionProtection>();
        services.AddSingleton<SessionCookies>();
        services.AddSingleton<IdpClient>();
        services.AddSingleton<SignInFlow>();
        services.AddSingleton<Gatekeeper>();
        services.AddSingleton<OutpostRoutes>();
        services.AddSingleton<ForwardAuthEndpoint>();
        services.AddSingleton<ProxyForwarder>();
        services.AddSingleton<OutpostGate>();
        services.AddHttpForwarder();
    }

    private static void ConfigureLogging(WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        if (builder.Configuration["Outpost:LogFormat"] == "text")
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }
        else
        {
            builder.Logging.AddJsonConsole();
        }
        // Note: framework request logs carry full URLs, and a callback URL carries the authorization code.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Yarp", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
    }
}
