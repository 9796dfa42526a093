using System.Text.Json.Serialization;
using SsoOperator.Crds.Schema;

namespace SsoOperator.Crds;

/// <summary>One aspect of the resource's current state, shaped like Kubernetes' metav1.Condition.</summary>
public sealed class Condition
{
    /// <summary>The kind of condition: Ready, Reconciling or Stalled.</summary>
    [JsonPropertyName("type")]
    [Required]
    [MaxLength(316)]
    public string Type { get; set; } = "";

    /// <summary>Whether the condition holds: True, False or Unknown.</summary>
    [JsonPropertyName("status")]
    [Required]
    public ConditionStatus Status { get; set; } = ConditionStatus.Unknown;

    /// <summary>Why the condition last changed, as one CamelCase word (for example SecretNotFound).</summary>
    [JsonPropertyName("reason")]
    [MaxLength(1024)]
    public string? Reason { get; set; }

    /// <summary>A human-readable explanation of the reason, naming the field or object at fault.</summary>
    [JsonPropertyName("message")]
    [MaxLength(32768)]
    public string? Message { get; set; }

    /// <summary>The metadata.generation of the resource that this condition describes.</summary>
    [JsonPropertyName("observedGeneration")]
    [Minimum(0)]
    public long? ObservedGeneration { get; set; }

    /// <summary>When the status, reason or message last changed.</summary>
    [JsonPropertyName("lastTransitionTime")]
    public DateTime? LastTransitionTime { get; set; }
}

/// <summary>The value of a condition's status.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConditionStatus>))]
public enum ConditionStatus
{
    [JsonStringEnumMemberName("True")]
    True,

    [JsonStringEnumMemberName("False")]
    False,

    [JsonStringEnumMemberName("Unknown")]
    Unknown,
}

/// <summary>The condition types every kind reports, the way Flux and kstatus read them.</summary>
public static class ConditionTypes
{
    /// <summary>The summary: True when the resource is fully applied and serving its current spec.</summary>
    public const string Ready = "Ready";

    /// <summary>True while the operator is working towards the current spec.</summary>
    public const string Reconciling = "Reconciling";

    /// <summary>True when the operator cannot progress without a change to the spec or its references.</summary>
    public const string Stalled = "Stalled";
}
