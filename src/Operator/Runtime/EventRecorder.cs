using System.Security.Cryptography;
using k8s;
using k8s.Models;

namespace SsoOperator.Operator.Runtime;

/// <summary>
/// Records core/v1 Events on resources, as <c>kubectl describe</c> shows them. Best effort: a failure to
/// record is logged at Debug and never fails a reconcile. Messages must never carry secret values.
/// </summary>
public sealed partial class EventRecorder(IKubernetes client, ILogger<EventRecorder> logger,
    string component = "ssooperator", TimeProvider? time = null)
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";

    private readonly TimeProvider clock = time ?? TimeProvider.System;

    public async Task RecordAsync(IKubernetesObject<V1ObjectMeta> resource, string type, string reason,
        string message, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var metadata = resource.Metadata;
        var name = $"{metadata.Name}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
        var item = new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = metadata.NamespaceProperty },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = resource.ApiVersion, Kind = resource.Kind, Name = metadata.Name,
                NamespaceProperty = metadata.NamespaceProperty, Uid = metadata.Uid,
                ResourceVersion = metadata.ResourceVersion,
            },
            Type = type, Reason = reason, Message = message, Count = 1,
            FirstTimestamp = now, LastTimestamp = now,
            Source = new V1EventSource { Component = component }, ReportingComponent = component,
        };
        try
        {
            await client.CoreV1.CreateNamespacedEventAsync(item, metadata.NamespaceProperty,
                cancellationToken: cancellationToken);
            LogRecorded(logger, type, reason, message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, e, reason);
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Event {Type} {Reason}: {Message}")]
    private static partial void LogRecorded(ILogger logger, string type, string reason, string message);

    [LoggerMessage(2, LogLevel.Debug, "Could not record event {Reason}")]
    private static partial void LogFailed(ILogger logger, Exception error, string reason);
}
