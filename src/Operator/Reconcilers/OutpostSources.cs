using System.Collections.Concurrent;
using System.Text;
using k8s.Models;
using SsoOperator.Crds;
using SsoOperator.Operator.Runtime;

namespace SsoOperator.Operator.Reconcilers;

/// <summary>
/// Resolves an Outpost's applicationRefs into the apps of its config: each Application, its proxy
/// Provider and that Provider's client secret. Every problem is collected, not only the first; each
/// carries its own reason. Also remembers which Providers and Secrets feed which Outpost, so that their
/// watches can re-reconcile it.
/// </summary>
public sealed class OutpostSources(IResourceApi<Application> applications, IResourceApi<Provider> providers,
    IResourceApi<V1Secret> secrets)
{
    private readonly ConcurrentDictionary<ObjectKey, Feeds> feeds = new();

    /// <summary>The apps, in applicationRefs order, or the problems that keep some of them out.</summary>
    public async Task<Resolution> ResolveAsync(Outpost outpost, CancellationToken cancellationToken)
    {
        var ns = outpost.Metadata.NamespaceProperty;
        var apps = new List<OutpostApp>();
        var problems = new List<Problem>();
        var used = new Feeds([], []);
        for (var i = 0; i < outpost.Spec.ApplicationRefs.Count; i++)
        {
            var field = $"spec.applicationRefs[{i}].name";
            var (app, problem) = await ResolveOneAsync(ns, outpost.Spec.ApplicationRefs[i].Name, field, used,
                cancellationToken);
            if (app is not null)
            {
                apps.Add(app);
            }
            if (problem is not null)
            {
                problems.Add(problem);
            }
        }
        feeds[ObjectKey.Of(outpost)] = used;
        return new Resolution(apps, problems);
    }

    /// <summary>The Outposts whose config comes in part from this Provider.</summary>
    public IEnumerable<ObjectKey> OutpostsFedBy(Provider provider) => feeds
        .Where(f => f.Key.Namespace == provider.Metadata.NamespaceProperty
            && f.Value.Providers.Contains(provider.Metadata.Name))
        .Select(f => f.Key);

    /// <summary>The Outposts whose config comes in part from this Secret.</summary>
    public IEnumerable<ObjectKey> OutpostsFedBy(V1Secret secret) => feeds
        .Where(f => f.Key.Namespace == secret.Metadata.NamespaceProperty
            && f.Value.Secrets.Contains(secret.Metadata.Name))
        .Select(f => f.Key);

    public void Forget(ObjectKey outpost) => feeds.TryRemove(outpost, out _);

    private async Task<(OutpostApp?, Problem?)> ResolveOneAsync(string ns, string name, string field, Feeds used,
        CancellationToken token)
    {
        var application = await applications.GetAsync(new ObjectKey(ns, name), token);
        if (application is null)
        {
            return (null, new(Reasons.ApplicationNotFound, $"Application {ns}/{name} ({field}) was not found"));
        }
        var providerName = application.Spec.ProviderRef.Name;
        used.Providers.Add(providerName);
        var provider = await providers.GetAsync(new ObjectKey(ns, providerName), token);
        if (provider is null)
        {
            return (null, new(Reasons.ProviderNotFound,
                $"Provider {ns}/{providerName} of Application {name} ({field}) was not found"));
        }
        if (provider.Spec.Proxy is not { } proxy)
        {
            return (null, new(Reasons.ProviderNotProxy, $"Application {name} ({field}) signs in through " +
                $"Provider {providerName}, which is not a proxy Provider; an outpost serves only spec.proxy ones",
                Stalled: true));
        }
        if (!IsCurrentAndReady(provider) || provider.Status.ClientId is not { Length: > 0 } clientId)
        {
            return (null, new(Reasons.ProviderNotReady, $"Provider {ns}/{providerName} ({field}) is not Ready yet"));
        }
        if (!IsCurrentAndReady(application))
        {
            return (null, new(Reasons.ApplicationNotReady, $"Application {ns}/{name} ({field}) is not Ready yet"));
        }

        var secretName = ClientSecrets.ProxySecretName(provider);
        used.Secrets.Add(secretName);
        var secret = await secrets.GetAsync(new ObjectKey(ns, secretName), token);
        if (secret?.Data?.TryGetValue(ClientSecrets.ClientSecretKey, out var value) != true
            || value is not { Length: > 0 })
        {
            return (null, new(Reasons.SecretNotFound,
                $"Secret {ns}/{secretName} with the client secret of Provider {providerName} was not found"));
        }
        return (App(application, proxy, clientId, Encoding.UTF8.GetString(value)), null);
    }

    private static OutpostApp App(Application application, ProxyProviderSpec proxy, string clientId, string secret)
    {
        var access = application.Spec.Access;
        return new OutpostApp(application.EffectiveSlug, OutpostConfig.ModeName(proxy.Mode),
            proxy.ExternalHost.TrimEnd('/'), proxy.InternalHost, [.. proxy.SkipPaths], proxy.CookieDomain,
            clientId, secret, PassAccessToken: false,
            new OutpostAccess([.. access.Groups], [.. access.Users], access.RequireMfa));
    }

    private static bool IsCurrentAndReady<T>(T resource)
        where T : ICustomResource =>
        resource.CurrentStatus.ObservedGeneration == resource.Metadata.Generation
        && resource.CurrentStatus.Conditions.Any(c => c.Type == ConditionTypes.Ready
            && c.Status == ConditionStatus.True);

    /// <summary>The names of the Providers and Secrets one Outpost's config was read from.</summary>
    private sealed record Feeds(HashSet<string> Providers, HashSet<string> Secrets);
}

/// <summary>Why an app cannot be served yet; Stalled when only a change to a resource can fix it.</summary>
public sealed record Problem(string Reason, string Message, bool Stalled = false);

/// <summary>The apps that resolved, and the problems with the rest.</summary>
public sealed record Resolution(IReadOnlyList<OutpostApp> Apps, IReadOnlyList<Problem> Problems);
