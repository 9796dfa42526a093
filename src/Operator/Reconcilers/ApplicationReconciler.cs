using SsoOperator.Crds;
using SsoOperator.Crds.Validation;
using SsoOperator.IdP.Store;
using SsoOperator.Operator.Runtime;

namespace SsoOperator.Operator.Reconcilers;

/// <summary>
/// What happens to an Application: once its Provider is Ready, the app record (slug, name, launch URL,
/// icon, access policy) is written to the IdP, linked to the Provider's client; a finalizer removes it.
/// </summary>
public sealed partial class ApplicationReconciler(IResourceApi<Application> applications,
    IResourceApi<Provider> providers, IConfigurationStore store, EventRecorder events, ChangeReport report,
    ILogger<ApplicationReconciler> logger) : IReconciler<Application>
{
    public const string Finalizer = "ssooperator.dev/application";

    private static readonly ChangeWords Words =
        new("ApplicationCreated", "ApplicationUpdated", "the application", "application");

    public async Task<ReconcileResult> ReconcileAsync(Application application, CancellationToken cancellationToken)
    {
        var step = new Step<Application>(applications, application, events);

        // Deletion: the app record goes first, then the finalizer.
        if (application.Metadata.IsBeingDeleted())
        {
            return await FinalizeAsync(step, cancellationToken);
        }

        // Rules the schema cannot express: a spec that breaks them waits for an edit.
        var errors = application.Spec.Validate();
        if (errors.Count > 0)
        {
            step.Conditions.MarkStalled(Reasons.InvalidSpec, FieldError.Join(errors));
            return await step.FinishAsync(ReconcileResult.Terminal(Reasons.InvalidSpec), cancellationToken);
        }

        var updated = await applications.AddFinalizerAsync(application, Finalizer, cancellationToken);
        updated.Status = application.Status;
        application = step.Resource = updated;

        // The Provider must exist and be Ready; its own watch brings us back when it changes.
        var reference = new ObjectKey(application.Metadata.NamespaceProperty, application.Spec.ProviderRef.Name);
        var provider = await providers.GetAsync(reference, cancellationToken);
        if (provider is null)
        {
            // Stalled: likely a typo in providerRef. The Provider's own watch brings us back if it appears.
            return await step.FailAsync(Reasons.ProviderNotFound,
                $"Provider {reference} (spec.providerRef.name) was not found", stalled: true, cancellationToken,
                retry: true);
        }
        if (!IsReady(provider) || provider.Status.ClientId is not { Length: > 0 } clientId)
        {
            return await step.FailAsync(Reasons.ProviderNotReady,
                $"Provider {reference} is not Ready yet", stalled: false, cancellationToken);
        }

        return await RegisterAsync(step, clientId, cancellationToken);
    }

    private async Task<ReconcileResult> RegisterAsync(Step<Application> step, string clientId, CancellationToken token)
    {
        var application = step.Resource;
        var definition = Definition(application, clientId);
        var wasReady = step.Conditions.IsTrue(ConditionTypes.Ready)
            && application.Status.ObservedGeneration == application.Metadata.Generation
            && application.Status.ProviderClientId == clientId;
        var (result, failure) = await step.RegisterAsync(() => store.UpsertApplicationAsync(definition, token),
            () => ReleasePreviousSlugAsync(application, definition.Slug, token),
            Reasons.SlugConflict, $"slug {definition.Slug}", token);
        if (failure is not null)
        {
            return failure;
        }
        await report.RecordAsync(application, result, wasReady, Words, token);

        application.Status.Slug = definition.Slug;
        application.Status.ProviderClientId = clientId;
        var message = application.Spec.Access.AdmitsNobody
            ? $"registered as {definition.Slug}; no access rules, so nobody may sign in"
            : $"registered as {definition.Slug}";
        step.Conditions.MarkReady(Reasons.Reconciled, message);
        if (!wasReady)
        {
            LogReady(logger, application.Metadata.NamespaceProperty, application.Metadata.Name, definition.Slug);
        }
        return await step.FinishAsync(ReconcileResult.Done, token);
    }

    private async Task ReleasePreviousSlugAsync(Application application, string slug, CancellationToken token)
    {
        if (application.Status.Slug is { Length: > 0 } previous && previous != slug)
        {
            await store.DeleteApplicationAsync(previous, Owner(application), token);
        }
    }

    private async Task<ReconcileResult> FinalizeAsync(Step<Application> step, CancellationToken token)
    {
        var application = step.Resource;
        if (!application.Metadata.HasFinalizer(Finalizer))
        {
            return ReconcileResult.Done;
        }
        try
        {
            await store.DeleteApplicationAsync(application.Status.Slug ?? application.EffectiveSlug,
                Owner(application), token);
        }
        catch (StoreUnavailableException)
        {
            return await step.FailAsync(Reasons.DatabaseUnavailable,
                "deleting: the IdP database cannot be reached; the record is removed once it can be",
                stalled: false, token);
        }
        await applications.RemoveFinalizerAsync(application, Finalizer, token);
        return ReconcileResult.Done;
    }

    /// <summary>The Applications to reconcile when a Provider changes: those that reference it.</summary>
    public static IEnumerable<ObjectKey> ApplicationsOf(Provider provider,
        IReadOnlyCollection<Application> applications) =>
        applications.Where(a => a.Metadata.NamespaceProperty == provider.Metadata.NamespaceProperty
                && a.Spec.ProviderRef.Name == provider.Metadata.Name)
            .Select(a => ObjectKey.Of(a));

    // Note: a Provider being edited keeps its last Ready until reconciled; its client stays usable meanwhile.
    private static bool IsReady(Provider provider) =>
        provider.Status.Conditions.Any(c => c.Type == ConditionTypes.Ready && c.Status == ConditionStatus.True);

    private static ApplicationDefinition Definition(Application application, string clientId)
    {
        var spec = application.Spec;
        return new ApplicationDefinition(application.EffectiveSlug, spec.DisplayName, clientId,
            spec.LaunchUrl is { } launch ? new Uri(launch) : null, spec.Icon is { } icon ? new Uri(icon) : null,
            [.. spec.Access.Groups], [.. spec.Access.Users], spec.Access.RequireMfa, Owner(application));
    }

    private static ResourceOwner Owner(Application application) =>
        new(application.Kind, application.Metadata.NamespaceProperty, application.Metadata.Name);

    [LoggerMessage(1, LogLevel.Information, "Application {Namespace}/{Name} is Ready as {Slug}")]
    private static partial void LogReady(ILogger logger, string @namespace, string name, string slug);

}
