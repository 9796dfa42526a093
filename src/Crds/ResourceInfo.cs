namespace SsoOperator.Crds;

/// <summary>
/// What generic controller code needs to list, watch and patch one kind: group, version, kind, plural.
/// </summary>
public sealed record ResourceInfo(string Kind, string Plural, string Singular, IReadOnlyList<string> ShortNames)
{
    public string Group => SsoApi.Group;

    public string Version => SsoApi.Version;

    /// <summary>The <c>apiVersion</c> of an object, <c>ssooperator.dev/v1alpha1</c>.</summary>
    public string ApiVersion => SsoApi.ApiVersion;

    /// <summary>The name of the CustomResourceDefinition, <c>providers.ssooperator.dev</c>.</summary>
    public string CrdName => $"{Plural}.{Group}";
}

/// <summary>The API group every SsoOperator kind belongs to.</summary>
public static class SsoApi
{
    public const string Group = "ssooperator.dev";

    public const string Version = "v1alpha1";

    public const string ApiVersion = Group + "/" + Version;

    /// <summary>The category shared by all kinds, so <c>kubectl get sso</c> lists them together.</summary>
    public const string Category = "sso";

    /// <summary>Every kind of the API, in the order the generator and the docs list them.</summary>
    public static IReadOnlyList<ResourceInfo> Kinds { get; } = [
        Provider.Info, Application.Info, Outpost.Info, Source.Info, SsoOperator.Crds.Group.Info,
    ];
}
