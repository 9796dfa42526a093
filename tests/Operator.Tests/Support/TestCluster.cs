using k8s;
using k8s.Models;
using SsoOperator.Testing;

namespace SsoOperator.Operator.Tests.Support;

/// <summary>The shared API server, with a fresh namespace per test.</summary>
public static class TestCluster
{
    public static async Task<(Kubernetes Client, string Namespace)> NamespaceAsync(string prefix)
    {
        var kube = await SharedEnvironment.KubeAsync();
        var client = kube.CreateClient();
        var name = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 9, 63)];
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = name } });
        return (client, name);
    }

    /// <summary>Polls until <paramref name="condition"/> holds, failing with <paramref name="what"/>.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }
            await Task.Delay(100);
        }
    }

    public static Task EventuallyAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        EventuallyAsync(() => Task.FromResult(condition()), what, timeout);
}
