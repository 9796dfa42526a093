using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace SsoOperator.Crds.Generator;

/// <summary>The summaries of an assembly's XML documentation file, as plain text for schema descriptions.</summary>
public sealed partial class XmlDocs(IReadOnlyDictionary<string, string> summaries)
{
    /// <summary>Reads the .xml the compiler writes next to the assembly (GenerateDocumentationFile).</summary>
    public static XmlDocs For(Assembly assembly)
    {
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"{path} is missing; the CRD descriptions come from it (build with GenerateDocumentationFile)");
        }
        var summaries = XDocument.Load(path).Descendants("member")
            .Where(member => member.Element("summary") is not null)
            .ToDictionary(member => (string)member.Attribute("name")!, member => Text(member.Element("summary")!));
        return new XmlDocs(summaries);
    }

    public string? Summary(Type type) => summaries.GetValueOrDefault($"T:{Name(type)}");

    public string? Summary(PropertyInfo property) =>
        summaries.GetValueOrDefault($"P:{Name(property.DeclaringType!)}.{property.Name}");

    private static string Name(Type type) => (type.FullName ?? type.Name).Replace('+', '.');

    // Flattens the XML of a summary: <c> and <see> become their text, <para> a paragraph break.
    private static string Text(XElement summary)
    {
        var text = new StringBuilder();
        foreach (var node in summary.Nodes())
        {
            text.Append(node switch
            {
                XText plain => plain.Value,
                XElement { Name.LocalName: "para" } para => "\n\n" + Text(para) + "\n\n",
                XElement { Name.LocalName: "see" or "seealso" } see => Reference(see),
                XElement { Name.LocalName: "paramref" or "typeparamref" } reference =>
                    (string?)reference.Attribute("name") ?? "",
                XElement element => Text(element),
                _ => "",
            });
        }
        var paragraphs = text.ToString().Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(paragraph => Whitespace().Replace(paragraph, " ").Trim())
            .Where(paragraph => paragraph.Length > 0);
        return string.Join("\n\n", paragraphs);
    }

    private static string Reference(XElement see) =>
        see.Value is { Length: > 0 } inner ? inner
        : ((string?)see.Attribute("cref") ?? (string?)see.Attribute("langword") ?? "").Split('.')[^1];

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
