using System.Text.Json.Serialization;
using k8s.Models;
using SsoOperator.Crds.Schema;

namespace SsoOperator.Crds;

/// <summary>
/// An application users sign in to: its entry in the IdP's portal, the Provider it signs in with, and who
/// may sign in.
/// </summary>
[KubernetesEntity(Group = SsoApi.Group, ApiVersion = SsoApi.Version, Kind = "Application",
    PluralName = "applications")]
[PrinterColumn("Provider", ".spec.providerRef.name")]
[PrinterColumn("Slug", ".status.slug", Priority = 1)]
public sealed class Application() : CustomResource<ApplicationSpec, ApplicationStatus>(Info), ICustomResource
{
    public static ResourceInfo Info { get; } = new("Application", "applications", "application", ["ssoapp"]);

    /// <summary>The slug the IdP knows this application by: spec.slug, else the name.</summary>
    [JsonIgnore]
    public string EffectiveSlug => Spec.Slug ?? Metadata?.Name ?? "";
}

/// <summary>The desired application.</summary>
public sealed partial class ApplicationSpec
{
    /// <summary>The name shown in the portal and on the sign-in page.</summary>
    [JsonPropertyName("displayName")]
    [Required]
    [MinLength(1)]
    [MaxLength(100)]
    public string DisplayName { get; set; } = "";

    /// <summary>The application's identifier in portal URLs. Defaults to the resource's name.</summary>
    [JsonPropertyName("slug")]
    [Pattern(Patterns.Slug)]
    [MaxLength(63)]
    public string? Slug { get; set; }

    /// <summary>The Provider (in the same namespace) that users sign in to this application through.</summary>
    [JsonPropertyName("providerRef")]
    [Required]
    public LocalObjectReference ProviderRef { get; set; } = new();

    /// <summary>The URL the portal opens for this application, for example https://grafana.example.com.</summary>
    [JsonPropertyName("launchUrl")]
    [Pattern(Patterns.HttpUrl)]
    [MaxLength(2048)]
    public string? LaunchUrl { get; set; }

    /// <summary>The URL of an icon shown in the portal.</summary>
    [JsonPropertyName("icon")]
    [Pattern(Patterns.HttpUrl)]
    [MaxLength(2048)]
    public string? Icon { get; set; }

    /// <summary>Who may sign in. Without rules nobody may: access is denied unless a rule matches.</summary>
    [JsonPropertyName("access")]
    public AccessPolicy Access { get; set; } = new();
}

/// <summary>Who may sign in: members of any listed group and any listed user.</summary>
public sealed class AccessPolicy
{
    /// <summary>Groups whose members may sign in.</summary>
    [JsonPropertyName("groups")]
    [Set]
    [MaxItems(256)]
    [MinLength(1)]
    [MaxLength(253)]
    public IList<string> Groups { get; set; } = [];

    /// <summary>Usernames that may sign in.</summary>
    [JsonPropertyName("users")]
    [Set]
    [MaxItems(256)]
    [MinLength(1)]
    [MaxLength(253)]
    public IList<string> Users { get; set; } = [];

    /// <summary>Whether users must have signed in with a second factor (TOTP) to use this application.</summary>
    [JsonPropertyName("requireMfa")]
    [Default]
    public bool RequireMfa { get; set; }

    /// <summary>True when no rule admits anyone.</summary>
    [JsonIgnore]
    public bool AdmitsNobody => Groups.Count == 0 && Users.Count == 0;
}

/// <summary>A reference to an object of a known kind in the same namespace.</summary>
public sealed class LocalObjectReference
{
    /// <summary>The object's name.</summary>
    [JsonPropertyName("name")]
    [Required]
    [Pattern(Patterns.ObjectName)]
    [MaxLength(253)]
    public string Name { get; set; } = "";
}

/// <summary>The observed state of an Application.</summary>
public sealed class ApplicationStatus : ResourceStatus
{
    /// <summary>The slug registered in the IdP.</summary>
    [JsonPropertyName("slug")]
    public string? Slug { get; set; }

    /// <summary>The client id of the Provider this application signs in through.</summary>
    [JsonPropertyName("providerClientId")]
    public string? ProviderClientId { get; set; }
}
