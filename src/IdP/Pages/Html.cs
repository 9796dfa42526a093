using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace SsoOperator.IdP.Pages;

/// <summary>
/// Server-rendered pages: plain, accessible HTML that works without JavaScript. Every value is encoded here,
/// so callers pass raw strings.
/// </summary>
public static class Html
{
    private const string Style =
        "body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;line-height:1.5}" +
        "label{display:block;margin-top:1rem;font-weight:600}input{width:100%;padding:.5rem;font-size:1rem}" +
        "button{margin-top:1.5rem;padding:.6rem 1.2rem;font-size:1rem}[role=alert]{color:#a00;font-weight:600}" +
        ".sources{list-style:none;padding:0;margin-top:2rem;border-top:1px solid #ccc}" +
        ".sources a{display:block;margin-top:1rem;padding:.6rem 1.2rem;border:1px solid #888;border-radius:4px;" +
        "text-align:center;text-decoration:none;color:inherit}" +
        "pre,code{overflow-wrap:anywhere;white-space:pre-wrap}";

    public static string Encode(string? value) => HtmlEncoder.Default.Encode(value ?? string.Empty);

    public static IResult Page(string title, string body, int statusCode = StatusCodes.Status200OK)
    {
        var html = $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Encode(title)} · SsoOperator</title><style>{Style}</style></head>
            <body><main><h1>{Encode(title)}</h1>
            {body}
            </main></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, statusCode);
    }

    /// <summary>An error summary that screen readers announce; empty when there is no error.</summary>
    public static string Alert(string? message) =>
        message is null ? string.Empty : $"<p role=\"alert\" id=\"error\">{Encode(message)}</p>";

    public static string Paragraph(string text) => $"<p>{Encode(text)}</p>";

    /// <summary>A paragraph whose placeholders {0}, {1}... show <paramref name="code"/> values as code.</summary>
    public static string ParagraphWithCode(string text, params string?[] code)
    {
        var values = code.Select(value => (object)$"<code>{Encode(value)}</code>").ToArray();
        return $"<p>{string.Format(CultureInfo.InvariantCulture, Encode(text), values)}</p>";
    }

    /// <summary>Preformatted lines, e.g. a protocol error as the specs name its parameters.</summary>
    public static string Preformatted(params string?[] lines) =>
        $"<pre>{string.Join('\n', lines.Select(Encode))}</pre>";

    public static string Hidden(string name, string? value) =>
        $"<input type=\"hidden\" name=\"{Encode(name)}\" value=\"{Encode(value)}\">";

    public static string Field(string name, string label, string type, string autocomplete, string? value = null,
        bool invalid = false)
    {
        var described = invalid ? " aria-invalid=\"true\" aria-describedby=\"error\"" : string.Empty;
        return $"<label for=\"{name}\">{Encode(label)}</label>" +
            $"<input id=\"{name}\" name=\"{name}\" type=\"{type}\" autocomplete=\"{autocomplete}\" required" +
            $"{described} value=\"{Encode(value)}\">";
    }

    public static string Form(HttpContext context, IAntiforgery antiforgery, string action, string content,
        string button)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return $"<form method=\"post\" action=\"{Encode(action)}\">" +
            Hidden(tokens.FormFieldName, tokens.RequestToken) + content +
            $"<button type=\"submit\">{Encode(button)}</button></form>";
    }
}
