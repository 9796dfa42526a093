using k8s;
using Microsoft.Extensions.Configuration.Memory;
using k8s.Models;
using Prometheus;
using SsoOperator.Crds;
using SsoOperator.IdP.Store;
using SsoOperator.Operator.Reconcilers;
using SsoOperator.Operator.Runtime;

namespace SsoOperator.Operator;

/// <summary>
/// Builds the operator process: the runtime, the Provider, Application, Outpost, Source and Group controllers,
/// the IdP store, and /healthz, /readyz and /metrics. Program uses it; so do the tests, to run replicas
/// in-process.
/// </summary>
public static class OperatorHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        // Lowest precedence: flags, environment and appsettings all override these.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Defaults });
        builder.Logging.ClearProviders().AddJsonConsole(json =>
        {
            json.IncludeScopes = true;
            json.UseUtcTimestamp = true;
            json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        var settings = OperatorSettings.Read(builder.Configuration);
        AddServices(builder.Services, settings);
        AddOutposts(builder.Services, settings, OutpostOptions.Read(builder.Configuration));

        var app = builder.Build();
        app.MapHealthChecks("/healthz", new() { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new() { Predicate = check => check.Tags.Contains("ready") });
        app.MapMetrics("/metrics", app.Services.GetRequiredService<OperatorMetrics>().Registry);
        return app;
    }

    // Probe requests and SQL statements would drown the operator's own Information messages.
    private static readonly Dictionary<string, string?> Defaults = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
    };

    private static void AddServices(IServiceCollection services, OperatorSettings settings)
    {
        services.AddSingleton(settings.Operator);
        services.AddSingleton(settings.LeaderElection);
        services.AddSingleton<IKubernetes>(_ => new Kubernetes(settings.Kubernetes()));
        services.AddSingleton(_ => new OperatorMetrics(Metrics.NewCustomRegistry()));
        services.AddSingleton(sp => new EventRecorder(sp.GetRequiredService<IKubernetes>(),
            sp.GetRequiredService<ILogger<EventRecorder>>()));
        services.AddSingleton<LeaderElection>();
        services.AddConfigurationStore(settings.ConnectionString);
        services.AddSingleton<ILeaderStartup, StoreMigration>();

        services.AddSingleton<IResourceApi<Provider>>(sp => Api<Provider>(sp, Provider.Info, settings));
        services.AddSingleton<IResourceApi<Application>>(sp => Api<Application>(sp, Application.Info, settings));
        services.AddSingleton<IResourceApi<V1Secret>>(sp =>
            new SecretApi(sp.GetRequiredService<IKubernetes>(), settings.WatchNamespace));
        services.AddSingleton<ClientSecrets>();
        services.AddSingleton<ChangeReport>();
        services.AddSingleton<ProviderReconciler>();
        services.AddSingleton<ApplicationReconciler>();
        services.AddSingleton<IController>(sp => Controller<Provider, ProviderReconciler>(sp, settings)
            .Watches(sp.GetRequiredService<IResourceApi<V1Secret>>(), ProviderReconciler.ProvidersUsing,
                WithoutValues));
        services.AddSingleton<IController>(sp => Controller<Application, ApplicationReconciler>(sp, settings)
            .Watches(sp.GetRequiredService<IResourceApi<Provider>>(), ApplicationReconciler.ApplicationsOf));
        AddFederation(services, settings);

        services.AddSingleton<OperatorRuntime>();
        services.AddHostedService(sp => sp.GetRequiredService<OperatorRuntime>());
        services.AddHealthChecks().AddCheck<OperatorRuntime>("runtime", tags: ["ready"]);
    }

    /// <summary>The Source controller, re-run when its client secret's Secret changes; the Group controller.</summary>
    private static void AddFederation(IServiceCollection services, OperatorSettings settings)
    {
        services.AddSingleton<IResourceApi<Source>>(sp => Api<Source>(sp, Source.Info, settings));
        services.AddSingleton<IResourceApi<Group>>(sp => Api<Group>(sp, Group.Info, settings));
        services.AddSingleton<SourceReconciler>();
        services.AddSingleton<GroupReconciler>();
        services.AddSingleton<IController>(sp => Controller<Source, SourceReconciler>(sp, settings)
            .Watches(sp.GetRequiredService<IResourceApi<V1Secret>>(), SourceReconciler.SourcesUsing,
                WithoutValues));
        services.AddSingleton<IController>(sp => Controller<Group, GroupReconciler>(sp, settings));
    }

    /// <summary>The Outpost controller, re-run when anything its config is made of changes.</summary>
    private static void AddOutposts(IServiceCollection services, OperatorSettings settings, OutpostOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<IResourceApi<Outpost>>(sp => Api<Outpost>(sp, Outpost.Info, settings));
        services.AddSingleton<IResourceApi<V1Deployment>>(sp =>
            new DeploymentApi(sp.GetRequiredService<IKubernetes>(), settings.WatchNamespace));
        services.AddSingleton<OutpostSources>();
        services.AddSingleton<OutpostWorkloads>();
        services.AddSingleton<OutpostReconciler>();
        services.AddSingleton<IController>(sp =>
        {
            var sources = sp.GetRequiredService<OutpostSources>();
            return Controller<Outpost, OutpostReconciler>(sp, settings)
                .Watches(sp.GetRequiredService<IResourceApi<Application>>(), OutpostReconciler.OutpostsServing)
                .Watches(sp.GetRequiredService<IResourceApi<Provider>>(), (p, _) => sources.OutpostsFedBy(p))
                .Watches(sp.GetRequiredService<IResourceApi<V1Secret>>(),
                    (s, _) => OutpostReconciler.OwnerOf(s.Metadata).Concat(sources.OutpostsFedBy(s)), WithoutValues)
                .Watches(sp.GetRequiredService<IResourceApi<V1Deployment>>(),
                    (d, _) => OutpostReconciler.OwnerOf(d.Metadata));
        });
    }

    private static CustomResourceApi<T> Api<T>(IServiceProvider services, ResourceInfo info,
        OperatorSettings settings)
        where T : IKubernetesObject<V1ObjectMeta> =>
        new(services.GetRequiredService<IKubernetes>(),
            new CustomResourceType(info.Group, info.Version, info.Plural, info.Kind), settings.WatchNamespace);

    private static Controller<T> Controller<T, TReconciler>(IServiceProvider services, OperatorSettings settings)
        where T : IKubernetesObject<V1ObjectMeta>
        where TReconciler : IReconciler<T> =>
        new(services.GetRequiredService<IResourceApi<T>>(), services.GetRequiredService<TReconciler>(),
            settings.Controllers, services.GetRequiredService<OperatorMetrics>(),
            services.GetRequiredService<ILoggerFactory>());

    /// <summary>Only a Secret's name matters for mapping; its values never stay in the watcher's memory.</summary>
    private static V1Secret WithoutValues(V1Secret secret)
    {
        secret.Data = null;
        secret.StringData = null;
        return secret;
    }

    /// <summary>The leader brings the IdP schema up to date before it writes to it.</summary>
    private sealed class StoreMigration(IConfigurationStore store) : ILeaderStartup
    {
        public Task RunAsync(CancellationToken cancellationToken) => store.MigrateAsync(cancellationToken);
    }
}
