using System.Diagnostics;
using System.Net;
using Microsoft.Net.Http.Headers;
using SsoOperator.Outpost.Sessions;
using Yarp.ReverseProxy.Forwarder;

namespace SsoOperator.Outpost.Gate;

/// <summary>
/// Forwards an admitted request to the app's internal host through YARP: bodies stream both ways and
/// WebSocket upgrades pass. The upstream sees the identity headers and none of the outpost's cookies.
/// </summary>
public sealed partial class ProxyForwarder(IHttpForwarder forwarder, ILogger<ProxyForwarder> logger) : IDisposable
{
    private readonly HttpMessageInvoker client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
        ConnectTimeout = TimeSpan.FromSeconds(15),
    });

    private static readonly ForwarderRequestConfig RequestConfig = new() { ActivityTimeout = TimeSpan.FromMinutes(2) };

    public async Task ForwardAsync(HttpContext context, GateRequest request, SessionTicket? session)
    {
        var transformer = new IdentityTransformer(request, session);
        var error = await forwarder.SendAsync(context, request.App.InternalHost!.AbsoluteUri, client, RequestConfig,
            transformer).ConfigureAwait(false);
        if (error != ForwarderError.None)
        {
            LogForwardFailed(logger, request.App.Slug, error);
        }
    }

    public void Dispose() => client.Dispose();

    [LoggerMessage(50, LogLevel.Warning, "Forwarding to app {App} failed: {Error}")]
    private static partial void LogForwardFailed(ILogger logger, string app, ForwarderError error);

    private sealed class IdentityTransformer(GateRequest request, SessionTicket? session) : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(HttpContext httpContext,
            HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken)
                .ConfigureAwait(false);
            var headers = proxyRequest.Headers;
            SetHeader(headers, "X-Forwarded-Host", request.Url.Authority);
            SetHeader(headers, "X-Forwarded-Proto", request.Url.Scheme);
            if (httpContext.Connection.RemoteIpAddress is { } remote)
            {
                // Appended, as proxies do: an ingress in front of the outpost keeps the client's address.
                var chain = httpContext.Request.Headers["X-Forwarded-For"].ToString();
                SetHeader(headers, "X-Forwarded-For", chain.Length > 0 ? $"{chain}, {remote}" : remote.ToString());
            }
            if (session is not null)
            {
                foreach (var (name, value) in IdentityHeaders.For(session, request.App.PassAccessToken))
                {
                    SetHeader(headers, name, value);
                }
            }
            RemoveOutpostCookies(headers, request.Config.Session.CookieName);
        }

        private static void SetHeader(System.Net.Http.Headers.HttpRequestHeaders headers, string name, string value)
        {
            headers.Remove(name);
            headers.TryAddWithoutValidation(name, value);
        }

        /// <summary>The sealed session is the outpost's business; the upstream gets only its own cookies.</summary>
        private static void RemoveOutpostCookies(System.Net.Http.Headers.HttpRequestHeaders headers, string prefix)
        {
            if (!headers.TryGetValues(HeaderNames.Cookie, out var values))
            {
                return;
            }
            var kept = values.SelectMany(v => v.Split(';'))
                .Select(c => c.Trim())
                .Where(c => c.Length > 0 && !c.StartsWith(prefix, StringComparison.Ordinal))
                .ToList();
            headers.Remove(HeaderNames.Cookie);
            if (kept.Count > 0)
            {
                headers.TryAddWithoutValidation(HeaderNames.Cookie, string.Join("; ", kept));
            }
        }
    }
}
