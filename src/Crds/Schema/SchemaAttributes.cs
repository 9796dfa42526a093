namespace SsoOperator.Crds.Schema;

// Attributes the CRD generator reads to add OpenAPI value validations to a property's schema.
// On a list of strings, Pattern, MinLength and MaxLength apply to each item; MinItems and MaxItems
// to the list itself.

/// <summary>The property must be present (OpenAPI <c>required</c> on the parent object).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredAttribute : Attribute;

/// <summary>The value (or each item) must match this ECMA-262 regular expression.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PatternAttribute(string regex) : Attribute
{
    public string Regex { get; } = regex;
}

/// <summary>The string (or each string item) has at least this many characters.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinLengthAttribute(int length) : Attribute
{
    public int Length { get; } = length;
}

/// <summary>The string (or each string item) has at most this many characters.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaxLengthAttribute(int length) : Attribute
{
    public int Length { get; } = length;
}

/// <summary>The list has at least this many items.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinItemsAttribute(int count) : Attribute
{
    public int Count { get; } = count;
}

/// <summary>The list has at most this many items.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaxItemsAttribute(int count) : Attribute
{
    public int Count { get; } = count;
}

/// <summary>The number is at least this value.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinimumAttribute(long value) : Attribute
{
    public long Value { get; } = value;
}

/// <summary>The number is at most this value.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaximumAttribute(long value) : Attribute
{
    public long Value { get; } = value;
}

/// <summary>
/// The property's C# initializer is also its schema <c>default</c>, so the API server fills it in and
/// C# code that builds an object sees the same value.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DefaultAttribute : Attribute;

/// <summary>A list of unique scalars (<c>x-kubernetes-list-type: set</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SetAttribute : Attribute;

/// <summary>A list of objects keyed by these fields (<c>x-kubernetes-list-type: map</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MapKeysAttribute(params string[] keys) : Attribute
{
    public IReadOnlyList<string> Keys { get; } = keys;
}

/// <summary>Exactly one of these JSON properties must be set (a <c>oneOf</c> of <c>required</c>).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ExactlyOneOfAttribute(params string[] properties) : Attribute
{
    public IReadOnlyList<string> Properties { get; } = properties;
}

/// <summary>
/// The property is required while the discriminator holds one of these values. The schema says so with an
/// <c>anyOf</c> (the property is set, or the discriminator holds another value), which the API server reports
/// as "property: Required value". Note: a field that must be absent for some values cannot be refused with a
/// clear message by a Kubernetes 1.20 schema; Validate() checks those and the operator reports InvalidSpec.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class RequiredWhenAttribute(string property, string discriminator, params string[] values) : Attribute
{
    public string Property { get; } = property;

    public string Discriminator { get; } = discriminator;

    public IReadOnlyList<string> Values { get; } = values;
}

/// <summary>An extra <c>kubectl get</c> column, shown between Reason and Age.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class PrinterColumnAttribute(string name, string jsonPath) : Attribute
{
    public string Name { get; } = name;

    public string JsonPath { get; } = jsonPath;

    /// <summary>The OpenAPI type of the column: string, integer, number, boolean or date.</summary>
    public string Type { get; init; } = "string";

    /// <summary>0 shows the column always; higher shows it only with <c>-o wide</c>.</summary>
    public int Priority { get; init; }
}
