using k8s.Models;
using SsoOperator.Crds;
using SsoOperator.Crds.Validation;
using SsoOperator.IdP.Store;
using SsoOperator.Operator.Runtime;

namespace SsoOperator.Operator.Reconcilers;

/// <summary>
/// What happens to a Source: its federated login (issuer, client registration, new-user policy) is written to
/// the IdP with the client secret from its Secret, kept equal to the spec on every reconcile, and removed by a
/// finalizer. The operator never contacts the issuer: the IdP reads its discovery document when someone signs in.
/// </summary>
public sealed partial class SourceReconciler(IResourceApi<Source> sources, ClientSecrets secrets,
    IConfigurationStore store, EventRecorder events, ChangeReport report, OperatorOptions options,
    ILogger<SourceReconciler> logger) : IReconciler<Source>
{
    public const string Finalizer = "ssooperator.dev/source";

    private static readonly ChangeWords Words = new("SourceCreated", "SourceUpdated", "the federated login", "source",
        result => result.Changed is [nameof(SourceDefinition.ClientSecret)]
            ? ("SecretRotated", "the IdP now presents the new client secret to the issuer") : null);

    /// <summary>The spec field the client secret is read from, as failure messages name it.</summary>
    public const string SecretField = "spec.oidc.clientSecret.secretRef";

    public async Task<ReconcileResult> ReconcileAsync(Source source, CancellationToken cancellationToken)
    {
        var step = new Step<Source>(sources, source, events);

        // Deletion: the IdP row goes first, then the finalizer.
        if (source.Metadata.IsBeingDeleted())
        {
            return await FinalizeAsync(step, cancellationToken);
        }

        // Rules the schema cannot express (an http issuer, a query in it): a spec that breaks them waits.
        var errors = source.Spec.Validate();
        if (errors.Count > 0)
        {
            step.Conditions.MarkStalled(Reasons.InvalidSpec, FieldError.Join(errors));
            return await step.FinishAsync(ReconcileResult.Terminal(Reasons.InvalidSpec), cancellationToken);
        }

        var updated = await sources.AddFinalizerAsync(source, Finalizer, cancellationToken);
        updated.Status = source.Status;
        source = step.Resource = updated;

        // The redirect URI depends on the issuer and slug only, and is needed at the issuer before its client
        // secret exists: report it from the start.
        source.Status.RedirectUri = RedirectUri(options.Issuer, source.EffectiveSlug);

        // The secret: a missing Secret or key is Stalled and retried; the Secret's own watch brings us back.
        var secret = await secrets.ReadAsync(source.Metadata.NamespaceProperty, source.Spec.Oidc.ClientSecret.SecretRef,
            SecretField, cancellationToken);
        if (secret.IsFailure)
        {
            // Stalled until the Secret appears (its watch brings us back), and retried meanwhile.
            return await step.FailAsync(secret.Reason!, secret.Message!, stalled: true, cancellationToken,
                retry: true);
        }

        return await RegisterAsync(step, secret.Secret!, cancellationToken);
    }

    private async Task<ReconcileResult> RegisterAsync(Step<Source> step, string secret, CancellationToken token)
    {
        var source = step.Resource;
        var definition = Definition(source, secret);
        var wasReady = step.Conditions.IsTrue(ConditionTypes.Ready)
            && source.Status.ObservedGeneration == source.Metadata.Generation;
        var (result, failure) = await step.RegisterAsync(() => store.UpsertSourceAsync(definition, token),
            () => ReleasePreviousSlugAsync(source, definition.Slug, token),
            Reasons.SourceSlugConflict, $"slug {definition.Slug}", token);
        if (failure is not null)
        {
            return failure;
        }
        await report.RecordAsync(source, result, wasReady, Words, token);
        return await MarkReadyAsync(step, definition.Slug, wasReady, token);
    }

    private async Task<ReconcileResult> MarkReadyAsync(Step<Source> step, string slug, bool wasReady,
        CancellationToken token)
    {
        var source = step.Resource;
        var redirectUri = RedirectUri(options.Issuer, slug);
        source.Status.Slug = slug;
        source.Status.RedirectUri = redirectUri;
        step.Conditions.MarkReady(Reasons.Reconciled, $"registered as {slug}; register {redirectUri} at the issuer");
        if (!wasReady)
        {
            LogReady(logger, source.Metadata.NamespaceProperty, source.Metadata.Name, slug, redirectUri);
        }
        return await step.FinishAsync(ReconcileResult.Done, token);
    }

    private async Task ReleasePreviousSlugAsync(Source source, string slug, CancellationToken token)
    {
        if (source.Status.Slug is { Length: > 0 } previous && previous != slug)
        {
            await store.DeleteSourceAsync(previous, Owner(source), token);
        }
    }

    private async Task<ReconcileResult> FinalizeAsync(Step<Source> step, CancellationToken token)
    {
        var source = step.Resource;
        if (!source.Metadata.HasFinalizer(Finalizer))
        {
            return ReconcileResult.Done;
        }
        try
        {
            // Both: a rename registered just before a crash may not have reached status.slug. Deletes are
            // owner-checked, so a slug another Source holds is left alone.
            foreach (var slug in new[] { source.Status.Slug, source.EffectiveSlug }.OfType<string>().Distinct())
            {
                await store.DeleteSourceAsync(slug, Owner(source), token);
            }
        }
        catch (StoreUnavailableException)
        {
            return await step.FailAsync(Reasons.DatabaseUnavailable,
                "deleting: the IdP database cannot be reached; the source is removed once it can be",
                stalled: false, token);
        }
        LogDeleted(logger, source.Metadata.NamespaceProperty, source.Metadata.Name);
        await sources.RemoveFinalizerAsync(source, Finalizer, token);
        return ReconcileResult.Done;
    }

    /// <summary>The Sources to reconcile when a Secret changes: those whose client secret it holds.</summary>
    public static IEnumerable<ObjectKey> SourcesUsing(V1Secret secret, IReadOnlyCollection<Source> sources) =>
        sources.Where(s => s.Metadata.NamespaceProperty == secret.Metadata.NamespaceProperty
                && s.Spec.Oidc.ClientSecret.SecretRef.Name == secret.Metadata.Name)
            .Select(s => ObjectKey.Of(s));

    /// <summary>Where the issuer sends people back to: the IdP's callback for this source.</summary>
    public static string RedirectUri(string issuer, string slug) => $"{issuer.TrimEnd('/')}/federation/{slug}/callback";

    private static SourceDefinition Definition(Source source, string secret)
    {
        var spec = source.Spec;
        return new SourceDefinition(source.EffectiveSlug, spec.DisplayName, new Uri(spec.Oidc.Issuer),
            spec.Oidc.ClientId, secret, [.. spec.Oidc.Scopes], spec.Oidc.HostedDomain,
            ClaimName(spec.Oidc.UsernameClaim), spec.NewUsers.Create, [.. spec.NewUsers.Groups], Owner(source));
    }

    // The claim names of OpenID Connect Core 1.0, section 5.1, as the store and the IdP expect them.
    private static string ClaimName(UsernameClaim claim) => claim switch
    {
        UsernameClaim.Email => "email",
        UsernameClaim.PreferredUsername => "preferred_username",
        _ => throw new ArgumentOutOfRangeException(nameof(claim), claim, null),
    };

    private static ResourceOwner Owner(Source source) =>
        new(source.Kind, source.Metadata.NamespaceProperty, source.Metadata.Name);

    [LoggerMessage(1, LogLevel.Information,
        "Source {Namespace}/{Name} is Ready as {Slug}; its redirect URI is {RedirectUri}")]
    private static partial void LogReady(ILogger logger, string @namespace, string name, string slug,
        string redirectUri);

    [LoggerMessage(3, LogLevel.Information, "Source {Namespace}/{Name} deleted: its login is gone from the IdP")]
    private static partial void LogDeleted(ILogger logger, string @namespace, string name);
}
