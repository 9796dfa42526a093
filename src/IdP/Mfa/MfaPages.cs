using Microsoft.AspNetCore.Antiforgery;
using QRCoder;
using SsoOperator.IdP.Pages;

namespace SsoOperator.IdP.Mfa;

/// <summary>The two-factor pages: server-rendered, no JavaScript, labelled fields, sized for a phone.</summary>
public static class MfaPages
{
    private const string Extra =
        "<style>img.qr{width:14rem;height:14rem;image-rendering:pixelated}code{font-size:1.1rem;" +
        "word-break:break-all}ol.codes{font-family:monospace;font-size:1.1rem}section{margin-top:2rem}</style>";

    public static IResult Enroll(HttpContext context, IAntiforgery antiforgery, string otpauthUri, string secret,
        string returnUrl, string? error)
    {
        var body = Extra + Html.Alert(error) +
            Html.Paragraph("This account needs a second factor. Set up an authenticator app " +
                "(such as Aegis, FreeOTP or Google Authenticator) once; afterwards you sign in with a code from it.") +
            "<h2>1. Add this account to the app</h2>" +
            $"<p><img class=\"qr\" src=\"data:image/png;base64,{QrPng(otpauthUri)}\" " +
            "alt=\"QR code holding the setup link below\"></p>" +
            $"<p>On this phone? <a id=\"otpauth-uri\" href=\"{Html.Encode(otpauthUri)}\">Open the setup link " +
            "in your authenticator app</a>.</p>" +
            $"<p>Or enter this key by hand: <code id=\"secret\">{Html.Encode(Grouped(secret))}</code> " +
            "(time-based, 6 digits, every 30 seconds).</p>" +
            "<h2>2. Confirm with a code</h2>" +
            Html.Form(context, antiforgery, MfaEndpoints.EnrollUrl(returnUrl),
                CodeField("code", "6-digit code from the app", error is not null), "Confirm");
        return Html.Page("Set up two-factor sign-in", body,
            error is null ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized);
    }

    public static IResult Verify(HttpContext context, IAntiforgery antiforgery, string returnUrl, string? error,
        int status = StatusCodes.Status200OK)
    {
        var body = Extra + Html.Alert(error) +
            Html.Form(context, antiforgery, MfaEndpoints.VerifyUrl(returnUrl),
                CodeField("code", "6-digit code from your authenticator app", error is not null), "Verify") +
            "<section><h2>Lost your device?</h2>" +
            Html.Paragraph("Use one of the recovery codes you saved when you set up the app. Each works once.") +
            Html.Form(context, antiforgery, MfaEndpoints.RecoverUrl(returnUrl),
                "<label for=\"recoveryCode\">Recovery code</label>" +
                "<input id=\"recoveryCode\" name=\"recoveryCode\" type=\"text\" autocomplete=\"off\" " +
                "autocapitalize=\"none\" spellcheck=\"false\" required>", "Use recovery code") +
            "</section>";
        return Html.Page("Two-factor sign-in", body, status);
    }

    public static IResult RecoveryCodesShown(IReadOnlyList<string> codes, string continueUrl, string intro)
    {
        var items = string.Concat(codes.Select(code => $"<li><code>{Html.Encode(code)}</code></li>"));
        var body = Extra + Html.Paragraph(intro) +
            Html.Paragraph("Save these recovery codes somewhere safe, away from your phone. Each one signs you " +
                "in once if you lose the authenticator. They are shown only now.") +
            $"<ol class=\"codes\" id=\"recovery-codes\">{items}</ol>" +
            $"<p><a id=\"continue\" href=\"{Html.Encode(continueUrl)}\">I saved them, continue</a></p>";
        return Html.Page("Your recovery codes", body);
    }

    /// <summary>A one-time-code input that phones fill from SMS/app suggestions and show a digit pad for.</summary>
    public static string CodeField(string name, string label, bool invalid)
    {
        var described = invalid ? " aria-invalid=\"true\" aria-describedby=\"error\"" : string.Empty;
        return $"<label for=\"{name}\">{Html.Encode(label)}</label>" +
            $"<input id=\"{name}\" name=\"{name}\" type=\"text\" inputmode=\"numeric\" " +
            "autocomplete=\"one-time-code\" pattern=\"[0-9 ]*\" maxlength=\"7\" required" + described + ">";
    }

    private static string QrPng(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(6));
    }

    // Groups of four are easier to type from a screen: "JBSW Y3DP ...".
    private static string Grouped(string secret) =>
        string.Join(' ', secret.Chunk(4).Select(chunk => new string(chunk)));
}
