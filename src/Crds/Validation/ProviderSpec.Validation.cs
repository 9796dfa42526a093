using SsoOperator.Crds.Validation;

namespace SsoOperator.Crds;

public sealed partial class ProviderSpec
{
    /// <summary>Every broken rule (not only the first), including those the schema cannot express.</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if ((OAuth2 is null) == (Proxy is null))
        {
            errors.Add(new("spec", "set exactly one of oauth2 or proxy"));
        }
        OAuth2?.AddErrors("spec.oauth2", errors);
        Proxy?.AddErrors("spec.proxy", errors);
        return errors;
    }
}
