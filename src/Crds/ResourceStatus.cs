using System.Text.Json.Serialization;
using SsoOperator.Crds.Schema;

namespace SsoOperator.Crds;

/// <summary>What every status carries, so one conditions helper serves every kind.</summary>
public interface IHasConditions
{
    long? ObservedGeneration { get; set; }

    IList<Condition> Conditions { get; set; }
}

/// <summary>The status fields every kind shares.</summary>
public abstract class ResourceStatus : IHasConditions
{
    /// <summary>The metadata.generation the operator last acted on.</summary>
    [JsonPropertyName("observedGeneration")]
    [Minimum(0)]
    public long? ObservedGeneration { get; set; }

    /// <summary>The current state: Ready (the summary), Reconciling and Stalled; at most one of each type.</summary>
    [JsonPropertyName("conditions")]
    [MapKeys("type")]
    public IList<Condition> Conditions { get; set; } = [];
}
