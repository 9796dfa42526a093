namespace SsoOperator.Operator.Reconcilers;

/// <summary>Settings the reconcilers share.</summary>
public sealed record OperatorOptions
{
    /// <summary>The IdP's issuer URL, written into generated Secrets and Provider status.</summary>
    public string Issuer { get; init; } = "http://127.0.0.1:9000/";
}
