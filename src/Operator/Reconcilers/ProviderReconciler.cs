using k8s.Models;
using SsoOperator.Crds;
using SsoOperator.Crds.Validation;
using SsoOperator.IdP.Store;
using SsoOperator.Operator.Runtime;

namespace SsoOperator.Operator.Reconcilers;

/// <summary>
/// What happens to a Provider: its client is registered in the IdP with the secret from its Secret, kept
/// equal to the spec on every reconcile (a resync corrects changes made behind our back), and removed by a
/// finalizer when the Provider is deleted. A proxy Provider's client belongs to the outposts: its secret is
/// always generated (<see cref="ClientSecrets.ProxySecretName"/>) and its URIs follow externalHost.
/// </summary>
public sealed partial class ProviderReconciler(IResourceApi<Provider> providers, ClientSecrets secrets,
    IConfigurationStore store, EventRecorder events, ChangeReport report, OperatorOptions options,
    ILogger<ProviderReconciler> logger) : IReconciler<Provider>
{
    public const string Finalizer = "ssooperator.dev/provider";

    private static readonly ChangeWords Words = new("ClientCreated", "ClientUpdated", "the client", "client",
        result => result.Changed is [nameof(ClientDefinition.ClientSecret)]
            ? ("SecretRotated", "the IdP now accepts the new client secret") : null);

    public async Task<ReconcileResult> ReconcileAsync(Provider provider, CancellationToken cancellationToken)
    {
        var step = new Step<Provider>(providers, provider, events);

        // Deletion: the IdP rows go first, then the finalizer, so nothing is left behind.
        if (provider.Metadata.IsBeingDeleted())
        {
            return await FinalizeAsync(step, cancellationToken);
        }

        // Rules the schema cannot express: a spec that breaks them waits for an edit.
        var errors = provider.Spec.Validate();
        if (errors.Count > 0)
        {
            step.Conditions.MarkStalled(Reasons.InvalidSpec, FieldError.Join(errors));
            return await step.FinishAsync(ReconcileResult.Terminal(Reasons.InvalidSpec), cancellationToken);
        }

        // The finalizer goes on before any row exists, so a deletion can never orphan one.
        var updated = await providers.AddFinalizerAsync(provider, Finalizer, cancellationToken);
        updated.Status = provider.Status;
        provider = step.Resource = updated;

        // The secret: a missing Secret or key is Stalled (Flux's health check fails at once, naming it), yet
        // retried, and the Secret's own watch brings us back as soon as it appears.
        var secret = await secrets.ResolveAsync(provider, cancellationToken);
        if (secret.IsFailure)
        {
            return await step.FailAsync(secret.Reason!, secret.Message!, stalled: true, cancellationToken,
                retry: secret.Reason != Reasons.InvalidSpec);
        }
        if (secret.Created)
        {
            var name = provider.Spec.OAuth2?.ClientSecret?.Generate?.SecretName
                ?? ClientSecrets.ProxySecretName(provider);
            await events.RecordAsync(provider, EventRecorder.Normal, "SecretGenerated",
                $"generated the client secret into Secret {name}", cancellationToken);
        }

        return await RegisterAsync(step, secret.Secret, cancellationToken);
    }

    private async Task<ReconcileResult> RegisterAsync(Step<Provider> step, string? secret, CancellationToken token)
    {
        var provider = step.Resource;
        var definition = ClientDefinitions.From(provider, secret);
        var wasReady = step.Conditions.IsTrue(ConditionTypes.Ready)
            && provider.Status.ObservedGeneration == provider.Metadata.Generation;
        var (result, failure) = await step.RegisterAsync(() => store.UpsertClientAsync(definition, token),
            () => ReleasePreviousClientIdAsync(provider, definition.ClientId, token),
            Reasons.ClientIdConflict, $"client id {definition.ClientId}", token);
        if (failure is not null)
        {
            return failure;
        }
        await report.RecordAsync(provider, result, wasReady, Words, token);

        provider.Status.ClientId = definition.ClientId;
        provider.Status.Issuer = options.Issuer;
        step.Conditions.MarkReady(Reasons.Reconciled, $"client {definition.ClientId} is registered in the IdP");
        if (!wasReady)
        {
            LogReady(logger, provider.Metadata.NamespaceProperty, provider.Metadata.Name, definition.ClientId);
        }
        return await step.FinishAsync(ReconcileResult.Done, token);
    }

    /// <summary>When spec.oauth2.clientId changes, the client under the old id goes.</summary>
    private async Task ReleasePreviousClientIdAsync(Provider provider, string clientId, CancellationToken token)
    {
        if (provider.Status.ClientId is { Length: > 0 } previous && previous != clientId)
        {
            await store.DeleteClientAsync(previous, Owner(provider), token);
        }
    }

    private async Task<ReconcileResult> FinalizeAsync(Step<Provider> step, CancellationToken token)
    {
        var provider = step.Resource;
        if (!provider.Metadata.HasFinalizer(Finalizer))
        {
            return ReconcileResult.Done;
        }
        try
        {
            await store.DeleteClientAsync(provider.Status.ClientId ?? provider.EffectiveClientId, Owner(provider),
                token);
        }
        catch (StoreUnavailableException)
        {
            // Note: waiting keeps the object (and its finalizer) until the rows can really be removed.
            return await step.FailAsync(Reasons.DatabaseUnavailable,
                "deleting: the IdP database cannot be reached; the client is removed once it can be",
                stalled: false, token);
        }
        LogDeleted(logger, provider.Metadata.NamespaceProperty, provider.Metadata.Name);
        await providers.RemoveFinalizerAsync(provider, Finalizer, token);
        return ReconcileResult.Done;
    }

    /// <summary>The Providers to reconcile when a Secret changes: those that name it.</summary>
    public static IEnumerable<ObjectKey> ProvidersUsing(V1Secret secret, IReadOnlyCollection<Provider> providers) =>
        providers.Where(p => p.Metadata.NamespaceProperty == secret.Metadata.NamespaceProperty
                && SecretNameOf(p) == secret.Metadata.Name)
            .Select(p => ObjectKey.Of(p));

    private static string? SecretNameOf(Provider provider) => provider.Spec.Proxy is not null
        ? ClientSecrets.ProxySecretName(provider)
        : provider.Spec.OAuth2?.ClientSecret is { } source ? source.SecretRef?.Name ?? source.Generate?.SecretName
        : null;

    internal static ResourceOwner Owner(Provider provider) =>
        new(provider.Kind, provider.Metadata.NamespaceProperty, provider.Metadata.Name);

    [LoggerMessage(1, LogLevel.Information, "Provider {Namespace}/{Name} is Ready: client {ClientId} registered")]
    private static partial void LogReady(ILogger logger, string @namespace, string name, string clientId);

    [LoggerMessage(3, LogLevel.Information, "Provider {Namespace}/{Name} deleted: its client is gone from the IdP")]
    private static partial void LogDeleted(ILogger logger, string @namespace, string name);
}
