namespace SsoOperator.Outpost.Configuration;

/// <summary>The config revision in force. Readers take one snapshot per request; a reload swaps it whole.</summary>
public sealed class ConfigState
{
    private volatile OutpostSnapshot? current;

    /// <summary>The snapshot in force, or null until a valid file has been read.</summary>
    public OutpostSnapshot? Current => current;

    public void Apply(OutpostSnapshot snapshot) => current = snapshot;
}
