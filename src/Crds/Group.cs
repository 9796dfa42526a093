using System.Text.Json.Serialization;
using k8s.Models;
using SsoOperator.Crds.Schema;

namespace SsoOperator.Crds;

/// <summary>
/// A group of users, as the groups claim and Application access rules name it, with its members declared in
/// Git by user name or email address.
/// </summary>
[KubernetesEntity(Group = SsoApi.Group, ApiVersion = SsoApi.Version, Kind = "Group", PluralName = "groups")]
[PrinterColumn("Group", ".status.groupName")]
[PrinterColumn("Members", ".status.memberCount", Type = "integer")]
public sealed class Group() : CustomResource<GroupSpec, GroupStatus>(Info), ICustomResource
{
    public static ResourceInfo Info { get; } = new("Group", "groups", "group", ["ssogroup"]);

    /// <summary>The name the IdP knows this group by: spec.groupName, else the resource's name.</summary>
    [JsonIgnore]
    public string EffectiveGroupName => Spec.GroupName ?? Metadata?.Name ?? "";
}

/// <summary>The desired group.</summary>
public sealed partial class GroupSpec
{
    /// <summary>
    /// The group's name in the groups claim and in Application access rules. Defaults to the resource's name;
    /// unique across the cluster.
    /// </summary>
    [JsonPropertyName("groupName")]
    [MinLength(1)]
    [MaxLength(253)]
    public string? GroupName { get; set; }

    /// <summary>
    /// The members: user names, or email addresses (matched only against a verified email). People not signed
    /// up yet become members when they first sign in.
    /// </summary>
    [JsonPropertyName("members")]
    [Set]
    [MaxItems(1024)]
    [MinLength(1)]
    [MaxLength(256)]
    public IList<string> Members { get; set; } = [];
}

/// <summary>The observed state of a Group.</summary>
public sealed class GroupStatus : ResourceStatus
{
    /// <summary>The group name registered in the IdP.</summary>
    [JsonPropertyName("groupName")]
    public string? GroupName { get; set; }

    /// <summary>How many members the spec declares.</summary>
    [JsonPropertyName("memberCount")]
    public int? MemberCount { get; set; }
}
