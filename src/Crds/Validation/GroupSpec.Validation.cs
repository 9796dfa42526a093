using SsoOperator.Crds.Validation;

namespace SsoOperator.Crds;

public sealed partial class GroupSpec
{
    /// <summary>Every broken rule (not only the first), including those the schema cannot express.</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (GroupName is not null && (GroupName.Length == 0 || GroupName.Trim() != GroupName))
        {
            errors.Add(new("spec.groupName",
                $"'{GroupName}' must not be empty or start or end with spaces; remove it to use the resource's name"));
        }
        Rules.NonEmptyItems("spec.members", Members, errors);
        return errors;
    }
}
