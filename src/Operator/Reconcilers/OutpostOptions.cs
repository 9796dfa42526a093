namespace SsoOperator.Operator.Reconcilers;

/// <summary>Settings for the outposts the operator runs (flags under --Outpost:, see docs/operator.md).</summary>
public sealed record OutpostOptions
{
    /// <summary>The image run when an Outpost names none in spec.deployment.image.</summary>
    public const string DefaultImage = "ghcr.io/ssooperator/outpost:0.1.0";

    public string Image { get; init; } = DefaultImage;

    public static OutpostOptions Read(IConfiguration configuration) =>
        new() { Image = configuration["Outpost:Image"] is { Length: > 0 } image ? image : DefaultImage };
}
