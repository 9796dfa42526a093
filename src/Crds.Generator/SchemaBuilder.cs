using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using SsoOperator.Crds.Schema;

namespace SsoOperator.Crds.Generator;

/// <summary>
/// Derives a structural OpenAPI v3 schema from a C# type: JSON names from [JsonPropertyName], descriptions
/// from the doc comments, value validations from the attributes in <see cref="Schema"/>.
/// </summary>
public sealed class SchemaBuilder(XmlDocs docs)
{
    // Kubernetes' own syntax for quantities such as 500m, 1.5, 256Mi or 1e3.
    private const string Number = @"(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))";
    private const string QuantityPattern =
        @"^(\+|-)?" + Number + @"(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?" + Number + "))?$";

    private const BindingFlags DeclaredProperties =
        BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    /// <summary>The schema of an object type, described by the type's own summary.</summary>
    public Node ForObject(Type type, string? description = null)
    {
        var schema = new Node();
        schema.AddIfNotNull("description", description ?? docs.Summary(type));
        schema["type"] = "object";

        var properties = new Node();
        var required = new List<object>();
        foreach (var property in JsonProperties(type))
        {
            var name = JsonName(property);
            properties[name] = ForProperty(property);
            if (property.IsDefined(typeof(RequiredAttribute)))
            {
                required.Add(name);
            }
        }
        schema["properties"] = properties;
        if (required.Count > 0)
        {
            schema["required"] = required;
        }
        AddCombinations(type, schema, properties);
        return schema;
    }

    /// <summary>The properties that appear in JSON, base class first, in declaration order.</summary>
    public static IEnumerable<PropertyInfo> JsonProperties(Type type)
    {
        var chain = new Stack<Type>();
        for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
        {
            chain.Push(current);
        }
        return chain
            .SelectMany(level => level.GetProperties(DeclaredProperties).OrderBy(property => property.MetadataToken))
            .Where(property => !property.IsDefined(typeof(JsonIgnoreAttribute)));
    }

    public static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? throw new InvalidOperationException(
            $"{property.DeclaringType?.Name}.{property.Name} needs [JsonPropertyName] or [JsonIgnore]");

    private Node ForProperty(PropertyInfo property)
    {
        var schema = new Node();
        var description = docs.Summary(property) ?? docs.Summary(Unwrap(property.PropertyType));
        schema["description"] = description ?? throw new InvalidOperationException(
            $"{property.DeclaringType?.Name}.{property.Name} needs a doc comment: kubectl explain shows it");

        foreach (var (key, value) in ForValue(property.PropertyType))
        {
            if (key != "description")
            {
                schema[key] = value;
            }
        }
        Validations.Apply(property, schema);
        return schema;
    }

    private Node ForValue(Type type)
    {
        type = Unwrap(type);
        if (type == typeof(string))
        {
            return new Node { ["type"] = "string" };
        }
        if (type == typeof(bool))
        {
            return new Node { ["type"] = "boolean" };
        }
        if (type == typeof(int) || type == typeof(long))
        {
            return new Node { ["type"] = "integer", ["format"] = type == typeof(int) ? "int32" : "int64" };
        }
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return new Node { ["type"] = "string", ["format"] = "date-time" };
        }
        if (type == typeof(ResourceQuantity))
        {
            return Quantity();
        }
        if (type.IsEnum)
        {
            return new Node { ["type"] = "string", ["enum"] = EnumValues(type).Cast<object>().ToList() };
        }
        if (DictionaryValueType(type) is { } valueType)
        {
            return new Node { ["type"] = "object", ["additionalProperties"] = ForValue(valueType) };
        }
        if (ItemType(type) is { } itemType)
        {
            return new Node { ["type"] = "array", ["items"] = ForValue(itemType) };
        }
        return ForObject(type);
    }

    private static Node Quantity() => new()
    {
        ["anyOf"] = new List<object> { new Node { ["type"] = "integer" }, new Node { ["type"] = "string" } },
        ["pattern"] = QuantityPattern,
        ["x-kubernetes-int-or-string"] = true,
    };

    /// <summary>The JSON names of an enum's members, from [JsonStringEnumMemberName].</summary>
    public static IEnumerable<string> EnumValues(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).Select(field =>
            field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? field.Name);

    public static Type Unwrap(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    public static Type? ItemType(Type type) =>
        type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) && type.IsGenericType
            ? type.GetGenericArguments()[0]
            : null;

    private static Type? DictionaryValueType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var definition &&
        (definition == typeof(IDictionary<,>) || definition == typeof(Dictionary<,>))
            ? type.GetGenericArguments()[1]
            : null;

    // [ExactlyOneOf] becomes a oneOf, each [RequiredWhen] an anyOf; more than one is wrapped in allOf.
    private static void AddCombinations(Type type, Node schema, Node properties)
    {
        var rules = new List<Node>();
        if (type.GetCustomAttribute<ExactlyOneOfAttribute>() is { } exactlyOne)
        {
            Require(type, properties, exactlyOne.Properties);
            rules.Add(new Node { ["oneOf"] = exactlyOne.Properties.Select(RequiredOf).ToList<object>() });
        }
        foreach (var rule in type.GetCustomAttributes<RequiredWhenAttribute>())
        {
            rules.Add(new Node { ["anyOf"] = RequiredWhen(type, properties, rule) });
        }

        if (rules.Count == 1)
        {
            foreach (var (key, value) in rules[0])
            {
                schema[key] = value;
            }
        }
        else if (rules.Count > 1)
        {
            schema["allOf"] = rules.ToList<object>();
        }
    }

    // Either the property is set, or the discriminator holds one of its other values.
    private static List<object> RequiredWhen(Type type, Node properties, RequiredWhenAttribute rule)
    {
        Require(type, properties, [rule.Property, rule.Discriminator]);
        var all = ((List<object>)((Node)properties[rule.Discriminator])["enum"]).Cast<string>();
        var others = all.Except(rule.Values).ToList<object>();
        var otherwise = new Node { [rule.Discriminator] = new Node { ["enum"] = others } };
        var when = new Node { [rule.Discriminator] = new Node { ["enum"] = rule.Values.ToList<object>() } };

        // Note: of the failed branches, the API server reports the one matching the most properties, the
        // first on a tie. Both name the discriminator and the required branch comes first, so the message
        // reads "property: Required value" instead of a complaint about the discriminator's value.
        return
        [
            new Node { ["properties"] = when, ["required"] = new List<object> { rule.Property } },
            new Node { ["properties"] = otherwise },
        ];
    }

    private static Node RequiredOf(string name) => new() { ["required"] = new List<object> { name } };

    private static void Require(Type type, Node properties, IEnumerable<string> names)
    {
        foreach (var name in names.Where(name => !properties.ContainsKey(name)))
        {
            throw new InvalidOperationException($"{type.Name} names '{name}' in an attribute but has no property");
        }
    }
}

/// <summary>One schema object; keys keep their insertion order, which the YAML keeps too.</summary>
public sealed class Node : Dictionary<string, object>
{
    public void AddIfNotNull(string key, object? value)
    {
        if (value is not null)
        {
            this[key] = value;
        }
    }

    /// <summary>A plain tree of Nodes, lists and scalars from JSON, for defaults.</summary>
    public static object FromJson(JsonNode node) => node switch
    {
        JsonObject map => map.Aggregate(new Node(), (result, entry) =>
        {
            result[entry.Key] = FromJson(entry.Value!);
            return result;
        }),
        JsonArray list => list.Select(item => FromJson(item!)).ToList(),
        JsonValue value when value.TryGetValue(out bool flag) => flag,
        JsonValue value when value.TryGetValue(out long number) => number,
        JsonValue value => value.ToString(),
        _ => throw new InvalidOperationException($"unexpected JSON {node}"),
    };

    /// <summary>The wire form of a value, as KubernetesJson writes it.</summary>
    public static object FromValue(object value) => FromJson(JsonNode.Parse(KubernetesJson.Serialize(value))!);
}
