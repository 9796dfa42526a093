using Microsoft.Extensions.Logging;

namespace SsoOperator.Operator.Tests.Support;

/// <summary>Keeps every log entry's level and message, and every scope, for tests that assert what was logged.</summary>
public sealed class RecordingLogger : ILogger, ILoggerFactory
{
    private readonly List<(LogLevel Level, string Message)> entries = [];
    private readonly List<object> scopes = [];

    /// <summary>The states scopes were begun with, in order.</summary>
    public IReadOnlyList<object> Scopes
    {
        get
        {
            lock (scopes)
            {
                return [.. scopes];
            }
        }
    }

    public IReadOnlyList<(LogLevel Level, string Message)> Entries
    {
        get
        {
            lock (entries)
            {
                return [.. entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
    {
        lock (scopes)
        {
            scopes.Add(state);
        }
        return null;
    }

    ILogger ILoggerFactory.CreateLogger(string categoryName) => this;

    void ILoggerFactory.AddProvider(ILoggerProvider provider)
    {
    }

    void IDisposable.Dispose()
    {
    }

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        lock (entries)
        {
            entries.Add((logLevel, formatter(state, exception)));
        }
    }
}
