using SsoOperator.Crds.Validation;

namespace SsoOperator.Crds;

public sealed partial class ApplicationSpec
{
    /// <summary>Every broken rule (not only the first), including those the schema cannot express.</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(DisplayName))
        {
            errors.Add(new("spec.displayName", "must not be empty; set the name shown in the portal"));
        }
        if (string.IsNullOrEmpty(ProviderRef.Name))
        {
            errors.Add(new("spec.providerRef.name", "must name a Provider in the same namespace"));
        }
        Rules.HttpUrl("spec.launchUrl", LaunchUrl, errors);
        Rules.HttpUrl("spec.icon", Icon, errors);
        Rules.NonEmptyItems("spec.access.groups", Access.Groups, errors);
        Rules.NonEmptyItems("spec.access.users", Access.Users, errors);
        return errors;
    }
}
