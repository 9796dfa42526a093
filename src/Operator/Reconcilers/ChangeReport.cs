using k8s;
using k8s.Models;
using SsoOperator.IdP.Store;
using SsoOperator.Operator.Runtime;

namespace SsoOperator.Operator.Reconcilers;

/// <summary>
/// How one kind's Events name what an upsert did: <paramref name="Created"/> and <paramref name="Updated"/> are
/// the reasons, <paramref name="Thing"/> what was written ("the client"), <paramref name="Noun"/> what the
/// resource is to the IdP ("client"). <paramref name="Special"/> names an update a kind tells apart (a rotated
/// secret, a group taken over) as a reason and message, or returns null.
/// </summary>
public sealed record ChangeWords(string Created, string Updated, string Thing, string Noun,
    Func<UpsertResult, (string Reason, string Message)?>? Special = null);

/// <summary>
/// Turns an upsert's outcome into at most one Event. An update of a resource that was already Ready at this
/// generation is drift (someone changed the IdP behind our back): a Warning, a log line and the drift counter.
/// Only field names reach Events and logs; an upsert's Changed list never carries values.
/// </summary>
public sealed partial class ChangeReport(EventRecorder events, OperatorMetrics metrics, ILogger<ChangeReport> logger)
{
    public const string DriftCorrected = "DriftCorrected";

    public async Task RecordAsync(IKubernetesObject<V1ObjectMeta> resource, UpsertResult result, bool wasReady,
        ChangeWords words, CancellationToken token)
    {
        var changed = string.Join(", ", result.Changed ?? []);
        if (result.Outcome == UpsertOutcome.Created)
        {
            await events.RecordAsync(resource, EventRecorder.Normal, words.Created,
                $"registered {words.Thing} in the IdP", token);
            return;
        }
        if (result.Outcome != UpsertOutcome.Updated)
        {
            return;
        }

        if (words.Special?.Invoke(result) is var (reason, message))
        {
            await events.RecordAsync(resource, EventRecorder.Normal, reason, message, token);
        }
        else if (wasReady)
        {
            metrics.DriftCorrections.WithLabels(resource.Kind).Inc();
            LogDrift(logger, resource.Kind, resource.Metadata.NamespaceProperty, resource.Metadata.Name, changed);
            await events.RecordAsync(resource, EventRecorder.Warning, DriftCorrected,
                $"the IdP's copy of this {words.Noun} had changed ({changed}); restored it", token);
        }
        else
        {
            await events.RecordAsync(resource, EventRecorder.Normal, words.Updated,
                $"updated {words.Thing} in the IdP ({changed})", token);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "{Kind} {Namespace}/{Name}: corrected drift in the IdP ({Changed})")]
    private static partial void LogDrift(ILogger logger, string kind, string @namespace, string name, string changed);
}
