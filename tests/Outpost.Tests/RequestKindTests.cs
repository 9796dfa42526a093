using Microsoft.AspNetCore.Http;
using SsoOperator.Outpost.Gate;

namespace SsoOperator.Outpost.Tests;

public sealed class RequestKindTests
{
    [Theory]
    [InlineData("GET", "text/html,application/xhtml+xml", null, null, true)]
    [InlineData("GET", "text/html", "navigate", null, true)]
    [InlineData("GET", "*/*", null, null, false)]
    [InlineData("GET", "application/json", null, null, false)]
    [InlineData("GET", "text/html", "cors", null, false)]
    [InlineData("GET", "text/html", "no-cors", null, false)]
    [InlineData("GET", "text/html", null, "XMLHttpRequest", false)]
    [InlineData("POST", "text/html", "navigate", null, false)]
    [InlineData("HEAD", "text/html", null, null, false)]
    public void IsPageLoad_BrowserSignals_Classified(
        string method, string accept, string? fetchMode, string? requestedWith, bool expected)
    {
        var headers = new HeaderDictionary { ["Accept"] = accept };
        if (fetchMode is not null)
        {
            headers["Sec-Fetch-Mode"] = fetchMode;
        }
        if (requestedWith is not null)
        {
            headers["X-Requested-With"] = requestedWith;
        }

        Assert.Equal(expected, RequestKind.IsPageLoad(method, headers));
    }

    [Theory]
    [InlineData("X-Forwarded-User", true)]
    [InlineData("x-forwarded-groups", true)]
    [InlineData("X_Forwarded_Email", true)]
    [InlineData("X-Forwarded-Preferred-Username", true)]
    [InlineData("X-Forwarded-For", false)]
    [InlineData("X-Forwarded-Host", false)]
    public void IsIdentityHeader_Spellings_Recognized(string name, bool expected) =>
        Assert.Equal(expected, IdentityHeaders.IsIdentityHeader(name));

    [Fact]
    public void ForwardedRequest_TraefikHeaders_OriginalUrlAndMethod()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers["X-Forwarded-Proto"] = "https";
        context.Request.Headers["X-Forwarded-Host"] = "app.example.com";
        context.Request.Headers["X-Forwarded-Uri"] = "/a/b?c=d";
        context.Request.Headers["X-Forwarded-Method"] = "POST";

        var original = ForwardedRequest.Read(context.Request, "traefik");

        Assert.Equal("https://app.example.com/a/b?c=d", original?.Url.AbsoluteUri);
        Assert.Equal("POST", original?.Method);
    }

    [Fact]
    public void ForwardedRequest_NginxOriginalUrl_Preferred()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers["X-Original-URL"] = "https://app.example.com/x";
        context.Request.Headers["X-Forwarded-Host"] = "other.example.com";

        Assert.Equal("https://app.example.com/x", ForwardedRequest.Read(context.Request, "nginx")?.Url.AbsoluteUri);
    }

    [Fact]
    public void ForwardedRequest_UriNotAPath_Refused()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers["X-Forwarded-Host"] = "app.example.com";
        context.Request.Headers["X-Forwarded-Uri"] = "@evil.test/";

        Assert.Null(ForwardedRequest.Read(context.Request, "caddy"));
    }
}
