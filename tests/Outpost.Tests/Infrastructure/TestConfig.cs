using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace SsoOperator.Outpost.Tests.Infrastructure;

/// <summary>Builds outpost config files the way the operator writes them.</summary>
public static class TestConfig
{
    public const string SessionKey = "b3V0cG9zdC10ZXN0LXNlc3Npb24ta2V5LTMyLWJ5dGVzIQ==";

    public static JsonObject File(TestIdp idp, params JsonObject[] apps) => new()
    {
        ["revision"] = "test",
        ["idp"] = new JsonObject { ["browserUrl"] = TestIdp.BrowserUrl, ["idpUrl"] = idp.BackChannelUrl },
        ["session"] = new JsonObject { ["cookieName"] = "_outpost", ["lifetime"] = "1h", ["key"] = SessionKey },
        ["apps"] = new JsonArray(apps.Select(a => (JsonNode)a.DeepClone()).ToArray()),
    };

    public static JsonObject App(string slug, string mode, string host, JsonObject access,
        string? internalHost = null, string? cookieDomain = null, params string[] skipPaths)
    {
        var app = new JsonObject
        {
            ["slug"] = slug,
            ["mode"] = mode,
            ["externalHost"] = Browser.App(host, ""),
            ["clientId"] = slug,
            ["clientSecret"] = Secret(slug),
            ["skipPaths"] = new JsonArray(skipPaths.Select(p => (JsonNode)JsonValue.Create(p)).ToArray()),
            ["access"] = access,
        };
        if (internalHost is not null)
        {
            app["internalHost"] = internalHost;
        }
        if (cookieDomain is not null)
        {
            app["cookieDomain"] = cookieDomain;
        }
        return app;
    }

    public static JsonObject FindApp(JsonObject config, string slug) =>
        config["apps"]!.AsArray().Select(a => a!.AsObject()).First(a => a["slug"]!.GetValue<string>() == slug);

    public static JsonObject Groups(params string[] groups) => new()
    {
        ["groups"] = new JsonArray(groups.Select(g => (JsonNode)JsonValue.Create(g)).ToArray()),
    };

    public static JsonObject Users(params string[] users) => new()
    {
        ["users"] = new JsonArray(users.Select(u => (JsonNode)JsonValue.Create(u)).ToArray()),
    };

    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Rename([MarshalAs(UnmanagedType.LPUTF8Str)] string from,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string to);

    public static string Secret(string slug) => $"secret-of-{slug}";

    public static IdpClientRegistration Client(string slug, string host) =>
        new(slug, Secret(slug), Browser.App(host, ""));

    /// <summary>Writes the file the way Kubernetes updates a Secret volume: a new directory, a symlink swap.</summary>
    public static void WriteAtomically(string directory, JsonObject config)
    {
        var revision = Path.Combine(directory, $"..rev-{Guid.NewGuid():N}");
        Directory.CreateDirectory(revision);
        System.IO.File.WriteAllText(Path.Combine(revision, "config.json"), config.ToJsonString());
        var link = Path.Combine(directory, "..data");
        var next = Path.Combine(directory, $"..data-{Guid.NewGuid():N}");
        System.IO.File.CreateSymbolicLink(next, Path.GetFileName(revision));
        // rename(2) replaces the link atomically, as the kubelet does; File.Move refuses directory links.
        if (Rename(next, link) != 0)
        {
            throw new IOException($"rename {next} -> {link} failed: {Marshal.GetLastPInvokeError()}");
        }
        var entry = Path.Combine(directory, "config.json");
        if (!System.IO.File.Exists(entry))
        {
            System.IO.File.CreateSymbolicLink(entry, Path.Combine("..data", "config.json"));
        }
    }
}
