namespace SsoOperator.Crds;

/// <summary>
/// The CamelCase reasons conditions carry. The operator uses these constants and docs/api.md lists them,
/// so both say the same thing.
/// </summary>
public static class Reasons
{
    /// <summary>The spec is applied: the IdP rows (and, for an Outpost, its pods) match it.</summary>
    public const string Reconciled = "Reconciled";

    /// <summary>Work is in flight: the operator is applying the current generation.</summary>
    public const string Progressing = "Progressing";

    /// <summary>The spec breaks a rule the schema cannot express; the message names the field and the fix.</summary>
    public const string InvalidSpec = "InvalidSpec";

    /// <summary>A Secret named by the spec does not exist (yet).</summary>
    public const string SecretNotFound = "SecretNotFound";

    /// <summary>A Secret named by the spec exists but lacks the key the spec names.</summary>
    public const string SecretKeyNotFound = "SecretKeyNotFound";

    /// <summary>An Application's providerRef names a Provider that does not exist in its namespace.</summary>
    public const string ProviderNotFound = "ProviderNotFound";

    /// <summary>An Application's Provider exists but is not Ready.</summary>
    public const string ProviderNotReady = "ProviderNotReady";

    /// <summary>An Outpost's applicationRefs name an Application that does not exist in its namespace.</summary>
    public const string ApplicationNotFound = "ApplicationNotFound";

    /// <summary>An Outpost's Application exists but is not Ready yet.</summary>
    public const string ApplicationNotReady = "ApplicationNotReady";

    /// <summary>A Secret, Deployment or Service the operator would write belongs to something else.</summary>
    public const string ObjectConflict = "ObjectConflict";

    /// <summary>An Outpost serves an Application whose Provider is not a proxy Provider.</summary>
    public const string ProviderNotProxy = "ProviderNotProxy";

    /// <summary>Another Provider already holds this client id; the first holder keeps it.</summary>
    public const string ClientIdConflict = "ClientIdConflict";

    /// <summary>Another Application already holds this slug; the first holder keeps it.</summary>
    public const string SlugConflict = "SlugConflict";

    /// <summary>Another Source already holds this slug; the first holder keeps it.</summary>
    public const string SourceSlugConflict = "SourceSlugConflict";

    /// <summary>Another Group already holds this group name; the first holder keeps it.</summary>
    public const string GroupNameConflict = "GroupNameConflict";

    /// <summary>The IdP database cannot be reached; the operator retries with backoff.</summary>
    public const string DatabaseUnavailable = "DatabaseUnavailable";

    /// <summary>An Outpost's Deployment has fewer available replicas than desired, or an old config.</summary>
    public const string DeploymentNotReady = "DeploymentNotReady";

    /// <summary>The resource is being deleted and its finalizer is removing the IdP rows.</summary>
    public const string Deleting = "Deleting";
}
