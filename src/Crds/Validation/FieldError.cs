namespace SsoOperator.Crds.Validation;

/// <summary>One broken rule: the field path (spec.oauth2.redirectUris[1]) and what to change.</summary>
public sealed record FieldError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";

    /// <summary>All errors as one condition message, one per line.</summary>
    public static string Join(IEnumerable<FieldError> errors) => string.Join("\n", errors);
}
