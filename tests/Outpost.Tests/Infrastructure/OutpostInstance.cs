using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using SsoOperator.Testing;

namespace SsoOperator.Outpost.Tests.Infrastructure;

/// <summary>One outpost, started in this process on a loopback port with a config file, its logs kept.</summary>
public sealed class OutpostInstance : IAsyncDisposable
{
    private readonly WebApplication app;

    private OutpostInstance(WebApplication app, int port, string configPath, LogCollector logs)
    {
        this.app = app;
        Port = port;
        ConfigPath = configPath;
        Logs = logs;
    }

    public int Port { get; }

    public string ConfigPath { get; }

    public LogCollector Logs { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public static async Task<OutpostInstance> StartAsync(string configPath)
    {
        var port = LocalProcess.FreePort();
        var logs = new LogCollector();
        var app = OutpostHost.Build(
            ["--urls", $"http://127.0.0.1:{port}", "--config", configPath, "--Outpost:PollInterval=00:00:00.25"],
            builder =>
            {
                builder.Logging.ClearProviders();
                builder.Logging.SetMinimumLevel(LogLevel.Debug);
                builder.Logging.AddProvider(logs);
            });
        OutpostHost.LoadConfig(app);
        await app.StartAsync();
        return new OutpostInstance(app, port, configPath, logs);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>Keeps every log line the outpost writes, for assertions on what it logged.</summary>
public sealed class LogCollector : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> lines = new();

    public IReadOnlyList<LogLine> Lines => lines.ToList();

    public ILogger CreateLogger(string categoryName) => new Collector(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Collector(string category, ConcurrentQueue<LogLine> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(new LogLine(category, logLevel, eventId.Id, formatter(state, exception)));
    }
}

public sealed record LogLine(string Category, LogLevel Level, int EventId, string Message);
