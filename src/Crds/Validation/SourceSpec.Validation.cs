using SsoOperator.Crds.Validation;

namespace SsoOperator.Crds;

public sealed partial class SourceSpec
{
    /// <summary>Every broken rule (not only the first), including those the schema cannot express.</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(DisplayName))
        {
            errors.Add(new("spec.displayName", "must not be empty; set the name shown on the sign-in button"));
        }
        ValidateIssuer(errors);
        if (string.IsNullOrWhiteSpace(Oidc.ClientId))
        {
            errors.Add(new("spec.oidc.clientId", "must not be empty; set the client id the issuer gave this IdP"));
        }
        if (string.IsNullOrEmpty(Oidc.ClientSecret.SecretRef.Name))
        {
            errors.Add(new("spec.oidc.clientSecret.secretRef.name", "must name a Secret in the same namespace"));
        }
        Rules.NonEmptyItems("spec.newUsers.groups", NewUsers.Groups, errors);
        return errors;
    }

    // OpenID Connect Discovery 1.0, section 4.3: the issuer in the document must equal the one configured, so a
    // query or fragment could never match; plain http is allowed only for loopback test issuers.
    private void ValidateIssuer(List<FieldError> errors)
    {
        if (!Uri.TryCreate(Oidc.Issuer, UriKind.Absolute, out var issuer) || issuer.Scheme is not ("http" or "https"))
        {
            errors.Add(new("spec.oidc.issuer",
                $"'{Oidc.Issuer}' is not an absolute https URL; write it like https://accounts.google.com"));
            return;
        }
        if (issuer.Query.Length > 0 || issuer.Fragment.Length > 0)
        {
            errors.Add(new("spec.oidc.issuer", "must not have a query or fragment; use the issuer exactly as its " +
                "ID tokens' iss claim says it"));
        }
        if (issuer.Scheme == "http" && !issuer.IsLoopback)
        {
            errors.Add(new("spec.oidc.issuer", $"'{Oidc.Issuer}' must use https (http is accepted for loopback only)"));
        }
    }
}
