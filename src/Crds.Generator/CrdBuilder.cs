using System.Reflection;
using SsoOperator.Crds.Schema;

namespace SsoOperator.Crds.Generator;

/// <summary>Builds the CustomResourceDefinition of one kind as a tree ready for YAML.</summary>
public sealed class CrdBuilder(XmlDocs docs)
{
    private const string ReadyCondition = ".status.conditions[?(@.type==\"Ready\")]";

    private readonly SchemaBuilder schemas = new(docs);

    public Node Build(Type kind)
    {
        var info = (ResourceInfo)kind.GetProperty(nameof(ICustomResource.Info))!.GetValue(null)!;
        return new Node
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new Node { ["name"] = info.CrdName },
            ["spec"] = new Node
            {
                ["group"] = info.Group,
                ["names"] = Names(info),
                ["scope"] = "Namespaced",
                ["versions"] = new List<object> { Version(kind, info) },
            },
        };
    }

    private static Node Names(ResourceInfo info) => new()
    {
        ["kind"] = info.Kind,
        ["listKind"] = info.Kind + "List",
        ["plural"] = info.Plural,
        ["singular"] = info.Singular,
        ["shortNames"] = info.ShortNames.Cast<object>().ToList(),
        ["categories"] = new List<object> { SsoApi.Category },
    };

    private Node Version(Type kind, ResourceInfo info) => new()
    {
        ["name"] = info.Version,
        ["served"] = true,
        ["storage"] = true,
        ["subresources"] = new Node { ["status"] = new Node() },
        ["additionalPrinterColumns"] = PrinterColumns(kind),
        ["schema"] = new Node { ["openAPIV3Schema"] = RootSchema(kind) },
    };

    private Node RootSchema(Type kind)
    {
        var spec = kind.GetProperty("Spec")!.PropertyType;
        var status = kind.GetProperty("Status")!.PropertyType;
        return new Node
        {
            ["description"] = docs.Summary(kind) ?? throw new InvalidOperationException($"{kind.Name} needs a summary"),
            ["type"] = "object",
            ["properties"] = new Node
            {
                ["apiVersion"] = Text("The versioned schema of this object: " + SsoApi.ApiVersion + "."),
                ["kind"] = Text($"The kind of this object: {kind.Name}."),
                ["metadata"] = new Node { ["type"] = "object" },
                ["spec"] = schemas.ForObject(spec),
                ["status"] = schemas.ForObject(status),
            },
            ["required"] = new List<object> { "spec" },
        };
    }

    private static Node Text(string description) => new() { ["description"] = description, ["type"] = "string" };

    // Ready and Reason first, the kind's own columns next, Age last, as kubectl users expect.
    private static List<object> PrinterColumns(Type kind)
    {
        var columns = new List<object>
        {
            Column("Ready", ReadyCondition + ".status", "string", 0, "Whether the resource is Ready"),
            Column("Reason", ReadyCondition + ".reason", "string", 0, "Why the resource is (not) Ready"),
        };
        foreach (var column in kind.GetCustomAttributes<PrinterColumnAttribute>())
        {
            columns.Add(Column(column.Name, column.JsonPath, column.Type, column.Priority, null));
        }
        columns.Add(Column("Age", ".metadata.creationTimestamp", "date", 0, null));
        return columns;
    }

    private static Node Column(string name, string jsonPath, string type, int priority, string? description)
    {
        var column = new Node { ["name"] = name, ["type"] = type, ["jsonPath"] = jsonPath };
        column.AddIfNotNull("description", description);
        if (priority > 0)
        {
            column["priority"] = priority;
        }
        return column;
    }
}
