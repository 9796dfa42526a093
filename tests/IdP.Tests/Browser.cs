using System.Net;
using System.Text.RegularExpressions;

namespace SsoOperator.IdP.Tests;

/// <summary>
/// What a person's browser does, over real HTTP: keeps cookies, follows redirects, and submits the forms it
/// is shown (the sign-in page, OpenIddict's form_post page).
/// </summary>
public sealed partial class Browser : IDisposable
{
    private readonly HttpClient http;

    public Browser()
    {
        Cookies = new CookieContainer();
        http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false });
    }

    public CookieContainer Cookies { get; }

    public HttpClient Http => http;

    /// <summary>Follows redirects from <paramref name="url"/> to a page, or to <paramref name="stopAt"/>.</summary>
    public async Task<Step> GoAsync(Uri url, Func<Uri, bool>? stopAt = null)
    {
        var response = await http.GetAsync(url);
        return await FollowAsync(url, response, stopAt);
    }

    /// <summary>Submits the page's form with its hidden fields plus <paramref name="fields"/>.</summary>
    public async Task<Step> SubmitAsync(Step page, IReadOnlyDictionary<string, string>? fields = null,
        Func<Uri, bool>? stopAt = null)
    {
        var form = FormTag().Match(page.Body);
        Assert.True(form.Success, $"no form on {page.Url}: {page.Body}");
        var action = new Uri(page.Url, WebUtility.HtmlDecode(Attribute(form.Value, "action") ?? page.Url.ToString()));
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match input in InputTag().Matches(page.Body))
        {
            if (Attribute(input.Value, "type") == "hidden" && Attribute(input.Value, "name") is { } name)
            {
                values[WebUtility.HtmlDecode(name)] = WebUtility.HtmlDecode(Attribute(input.Value, "value") ?? "");
            }
        }
        foreach (var (name, value) in fields ?? new Dictionary<string, string>())
        {
            values[name] = value;
        }
        if (stopAt?.Invoke(action) == true)
        {
            return new Step(action, HttpStatusCode.OK, "", values);
        }
        var response = await http.PostAsync(action, new FormUrlEncodedContent(values));
        return await FollowAsync(action, response, stopAt);
    }

    /// <summary>Signs in at the login page <paramref name="page"/> shows and goes on from there.</summary>
    public Task<Step> SignInAsync(Step page, string user, string password, Func<Uri, bool>? stopAt = null) =>
        SubmitAsync(page, new Dictionary<string, string> { ["username"] = user, ["password"] = password }, stopAt);

    public void Dispose() => http.Dispose();

    private async Task<Step> FollowAsync(Uri url, HttpResponseMessage response, Func<Uri, bool>? stopAt)
    {
        for (var hops = 0; hops < 20; hops++)
        {
            var status = (int)response.StatusCode;
            if (status is < 300 or >= 400 || response.Headers.Location is null)
            {
                var body = await response.Content.ReadAsStringAsync();
                var mediaType = response.Content.Headers.ContentType?.MediaType;
                response.Dispose();
                return new Step(url, response.StatusCode, body, null, mediaType);
            }
            url = new Uri(url, response.Headers.Location);
            response.Dispose();
            if (stopAt?.Invoke(url) == true)
            {
                return new Step(url, HttpStatusCode.Redirect, "", null);
            }
            response = await http.GetAsync(url);
        }
        throw new InvalidOperationException($"too many redirects ending at {url}");
    }

    private static string? Attribute(string tag, string name)
    {
        var match = Regex.Match(tag, $"\\s{name}=\"([^\"]*)\"", RegexOptions.IgnoreCase);
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex("<form[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex FormTag();

    [GeneratedRegex("<input[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputTag();
}

/// <summary>
/// Where the browser ended up: a page (with its media type), or a redirect it was told to stop at (with posted
/// fields).
/// </summary>
public sealed record Step(Uri Url, HttpStatusCode Status, string Body, IReadOnlyDictionary<string, string>? Posted,
    string? MediaType = null)
{
    public string? Query(string name) =>
        System.Web.HttpUtility.ParseQueryString(Url.Query)[name];
}
