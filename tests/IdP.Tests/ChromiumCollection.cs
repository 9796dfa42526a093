namespace SsoOperator.IdP.Tests;

/// <summary>
/// The test classes that drive Chromium run one after the other: two browsers at once on two cores, beside the
/// rest of the suite, make their 30-second waits time out.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ChromiumCollection
{
    public const string Name = "Chromium";
}
