using System.Reflection;
using SsoOperator.Crds.Schema;

namespace SsoOperator.Crds.Generator;

/// <summary>Turns a property's schema attributes into OpenAPI value validations.</summary>
internal static class Validations
{
    public static void Apply(PropertyInfo property, Node schema)
    {
        // On a list, string rules describe each item; item-count rules describe the list.
        var values = schema.TryGetValue("items", out var items) ? (Node)items : schema;

        if (property.GetCustomAttribute<PatternAttribute>() is { } pattern)
        {
            values["pattern"] = pattern.Regex;
        }
        if (property.GetCustomAttribute<MinLengthAttribute>() is { } minLength)
        {
            values["minLength"] = minLength.Length;
        }
        if (property.GetCustomAttribute<MaxLengthAttribute>() is { } maxLength)
        {
            values["maxLength"] = maxLength.Length;
        }
        if (property.GetCustomAttribute<MinimumAttribute>() is { } minimum)
        {
            schema["minimum"] = minimum.Value;
        }
        if (property.GetCustomAttribute<MaximumAttribute>() is { } maximum)
        {
            schema["maximum"] = maximum.Value;
        }
        ApplyList(property, schema);
        ApplyDefault(property, schema);
    }

    private static void ApplyList(PropertyInfo property, Node schema)
    {
        if (property.GetCustomAttribute<MinItemsAttribute>() is { } minItems)
        {
            schema["minItems"] = minItems.Count;
        }
        if (property.GetCustomAttribute<MaxItemsAttribute>() is { } maxItems)
        {
            schema["maxItems"] = maxItems.Count;
        }
        if (property.IsDefined(typeof(SetAttribute)))
        {
            schema["x-kubernetes-list-type"] = "set";
        }
        if (property.GetCustomAttribute<MapKeysAttribute>() is { } mapKeys)
        {
            schema["x-kubernetes-list-type"] = "map";
            schema["x-kubernetes-list-map-keys"] = mapKeys.Keys.Cast<object>().ToList();
        }
    }

    // The default is whatever a fresh instance holds, so C# and the API server agree.
    private static void ApplyDefault(PropertyInfo property, Node schema)
    {
        if (!property.IsDefined(typeof(DefaultAttribute)))
        {
            return;
        }
        var owner = Activator.CreateInstance(property.DeclaringType!)!;
        var value = property.GetValue(owner) ?? throw new InvalidOperationException(
            $"{property.DeclaringType!.Name}.{property.Name} has [Default] but no initializer");
        schema["default"] = Node.FromValue(value);
    }
}
