using Microsoft.Extensions.Options;

namespace SsoOperator.Outpost.Configuration;

/// <summary>Where the config file is and how often it is checked.</summary>
public sealed class ConfigWatcherOptions
{
    public string Path { get; set; } = "/etc/outpost/config.json";

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Reads the config file on start and re-reads it when its content changes. A valid file is applied
/// at once; an invalid one is logged with every error and the revision in force stays.
/// </summary>
/// <remarks>
/// Note: polling the content instead of watching the file, because Kubernetes updates a Secret volume
/// by swapping a symlink (..data) to a new directory; file watchers miss or double-report that swap,
/// while a cheap read each second sees exactly what the path resolves to now.
/// </remarks>
public sealed partial class ConfigWatcher(
    ConfigState state, IOptions<ConfigWatcherOptions> options, ILogger<ConfigWatcher> logger) : BackgroundService
{
    private string? lastText;
    private string? lastProblem;

    /// <summary>Reads the file once; true when a valid config is in force afterwards.</summary>
    public bool LoadOnce()
    {
        string text;
        try
        {
            text = File.ReadAllText(options.Value.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Once per distinct problem, not once per poll.
            if (e.Message != lastProblem)
            {
                LogUnreadable(logger, options.Value.Path, e.Message);
            }
            lastProblem = e.Message;
            return state.Current is not null;
        }
        lastProblem = null;
        if (text == lastText)
        {
            return state.Current is not null;
        }
        lastText = text;
        Apply(ConfigValidator.Parse(text));
        return state.Current is not null;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            LoadOnce();
        }
    }

    private void Apply(ConfigResult result)
    {
        if (result.Snapshot is { } snapshot)
        {
            state.Apply(snapshot);
            LogApplied(logger, snapshot.Revision, snapshot.Apps.Count);
            return;
        }
        foreach (var error in result.Errors)
        {
            LogInvalidField(logger, error.Path, error.Message);
        }
        LogRejected(logger, options.Value.Path, result.Errors.Count, state.Current?.Revision ?? "none");
    }

    [LoggerMessage(1, LogLevel.Information, "Applied config revision {Revision} with {AppCount} apps")]
    private static partial void LogApplied(ILogger logger, string revision, int appCount);

    [LoggerMessage(2, LogLevel.Error, "Config error at {Field}: {Problem}")]
    private static partial void LogInvalidField(ILogger logger, string field, string problem);

    [LoggerMessage(3, LogLevel.Error,
        "Rejected config file {Path} with {ErrorCount} errors; keeping revision {Revision}")]
    private static partial void LogRejected(ILogger logger, string path, int errorCount, string revision);

    [LoggerMessage(4, LogLevel.Warning, "Cannot read config file {Path}: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason);
}
