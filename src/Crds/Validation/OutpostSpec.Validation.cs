using SsoOperator.Crds.Validation;

namespace SsoOperator.Crds;

public sealed partial class OutpostSpec
{
    /// <summary>Every broken rule (not only the first), including those the schema cannot express.</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        Rules.HttpUrl("spec.browserUrl", BrowserUrl, errors);
        Rules.HttpUrl("spec.idpUrl", IdpUrl, errors);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ApplicationRefs.Count; i++)
        {
            var name = ApplicationRefs[i].Name;
            if (string.IsNullOrEmpty(name))
            {
                errors.Add(new($"spec.applicationRefs[{i}].name", "must name an Application in the same namespace"));
            }
            else if (!seen.Add(name))
            {
                errors.Add(new($"spec.applicationRefs[{i}].name", $"'{name}' is listed twice; remove one"));
            }
        }
        if (Deployment.Replicas < 0)
        {
            errors.Add(new("spec.deployment.replicas", "must not be negative"));
        }
        return errors;
    }
}
