using System.Net;
using System.Net.Sockets;

namespace SsoOperator.Outpost.Tests.Infrastructure;

/// <summary>
/// A browser stand-in: keeps cookies, follows redirects one hop at a time, and resolves the test's
/// made-up hosts to loopback: idp.test:9000 to the IdP, every other *.test:7000 to the outpost that
/// Target names (switch it to play a load balancer in front of several replicas).
/// </summary>
public sealed class Browser : IDisposable
{
    public const int AppPort = 7000;
    private readonly TestIdp idp;

    public Browser(TestIdp idp, int target, string user = "alice", string amr = "pwd")
    {
        this.idp = idp;
        Target = target;
        Cookies.Add(new Cookie("test_user", user, "/", "idp.test"));
        Cookies.Add(new Cookie("test_amr", amr, "/", "idp.test"));
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            CookieContainer = Cookies,
            UseProxy = false,
            ConnectCallback = ConnectAsync,
        };
        Http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
    }

    public CookieContainer Cookies { get; } = new();

    public HttpClient Http { get; }

    /// <summary>The loopback port app hosts resolve to.</summary>
    public int Target { get; set; }

    /// <summary>
    /// When set, app hosts resolve to these ports in turn, one per connection, and every page load
    /// closes its connection: a round-robin balancer in front of replicas without sticky sessions.
    /// </summary>
    public IReadOnlyList<int>? RoundRobin { get; set; }

    /// <summary>The replica port each app connection went to, in order.</summary>
    public List<int> Connections { get; } = [];

    public static string App(string host, string path = "/") => $"http://{host}:{AppPort}{path}";

    /// <summary>A page load: GET with the headers a browser sends for a navigation.</summary>
    public HttpRequestMessage NavigateTo(string url)
    {
        var request = Navigate(url);
        request.Headers.ConnectionClose = RoundRobin is not null;
        return request;
    }

    public static HttpRequestMessage Navigate(string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");
        request.Headers.Add("Sec-Fetch-Mode", "navigate");
        return request;
    }

    /// <summary>Navigates and follows redirects; returns the last response and every URL visited.</summary>
    public async Task<(HttpResponseMessage Response, List<string> Hops)> FollowAsync(string url, int maxHops = 15)
    {
        var hops = new List<string> { url };
        var response = await Http.SendAsync(NavigateTo(url));
        while (IsRedirect(response.StatusCode) && hops.Count <= maxHops)
        {
            var next = new Uri(new Uri(hops[^1]), response.Headers.Location!).AbsoluteUri;
            hops.Add(next);
            response.Dispose();
            response = await Http.SendAsync(NavigateTo(next));
        }
        return (response, hops);
    }

    public void Dispose() => Http.Dispose();

    public static bool IsRedirect(HttpStatusCode status) => (int)status is >= 300 and < 400;

    private int NextTarget()
    {
        lock (Connections)
        {
            var port = RoundRobin is { Count: > 0 } ports ? ports[Connections.Count % ports.Count] : Target;
            Connections.Add(port);
            return port;
        }
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken token)
    {
        var endpoint = context.DnsEndPoint;
        int port = endpoint.Host switch
        {
            "idp.test" when endpoint.Port == 9000 => idp.Port,
            _ when endpoint.Host.EndsWith(".test", StringComparison.Ordinal) && endpoint.Port == AppPort =>
                NextTarget(),
            "127.0.0.1" => endpoint.Port,
            _ => throw new HttpRequestException($"the test browser does not leave loopback ({endpoint})"),
        };
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), token);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
