using System.Runtime.CompilerServices;

namespace SsoOperator.Operator.Runtime;

/// <summary>
/// The controller's queue of keys, with the guarantees client-go's work queue gives: a key waiting twice
/// is processed once; a key is never handed to two workers at once (an add while it is processed brings
/// it back when <see cref="Done"/> is called); failures back off per key.
/// </summary>
public sealed class WorkQueue<TKey>(Backoff backoff, TimeProvider? time = null) : IDisposable
    where TKey : notnull
{
    private readonly Lock gate = new();
    private readonly Queue<TKey> ready = new();
    private readonly HashSet<TKey> dirty = [];
    private readonly HashSet<TKey> processing = [];
    private readonly Dictionary<TKey, int> failures = [];
    private readonly HashSet<ITimer> timers = [];
    private readonly SemaphoreSlim signal = new(0);
    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private bool stopped;

    /// <summary>Keys waiting for a worker (not those being processed or waiting out a delay).</summary>
    public int Depth
    {
        get
        {
            lock (gate)
            {
                return ready.Count;
            }
        }
    }

    public void Add(TKey key)
    {
        lock (gate)
        {
            if (stopped || !dirty.Add(key) || processing.Contains(key))
            {
                return;
            }
            ready.Enqueue(key);
        }
        signal.Release();
    }

    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }
        lock (gate)
        {
            if (stopped)
            {
                return;
            }
            // Note: the callback may run before CreateTimer returns; it reads the timer under the lock.
            var holder = new StrongBox<ITimer>();
            holder.Value = clock.CreateTimer(_ => Fire(key, holder), null, delay, Timeout.InfiniteTimeSpan);
            timers.Add(holder.Value);
        }
    }

    /// <summary>Adds the key after its backoff and counts one more failure; returns the delay chosen.</summary>
    public TimeSpan AddWithBackoff(TKey key)
    {
        int count;
        lock (gate)
        {
            count = failures.GetValueOrDefault(key);
            failures[key] = count + 1;
        }
        var delay = backoff.Delay(count);
        AddAfter(key, delay);
        return delay;
    }

    /// <summary>Clears the key's failure count: its next failure starts the backoff from the beginning.</summary>
    public void Forget(TKey key)
    {
        lock (gate)
        {
            failures.Remove(key);
        }
    }

    public int Failures(TKey key)
    {
        lock (gate)
        {
            return failures.GetValueOrDefault(key);
        }
    }

    /// <summary>Waits for the next key; the caller must call <see cref="Done"/> with it afterwards.</summary>
    public async Task<TKey> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await signal.WaitAsync(cancellationToken);
            lock (gate)
            {
                if (ready.TryDequeue(out var key))
                {
                    dirty.Remove(key);
                    processing.Add(key);
                    return key;
                }
            }
        }
    }

    public void Done(TKey key)
    {
        lock (gate)
        {
            processing.Remove(key);
            if (stopped || !dirty.Contains(key))
            {
                return;
            }
            ready.Enqueue(key);
        }
        signal.Release();
    }

    public void Dispose()
    {
        lock (gate)
        {
            stopped = true;
            foreach (var timer in timers)
            {
                timer.Dispose();
            }
            timers.Clear();
        }
        signal.Dispose();
    }

    private void Fire(TKey key, StrongBox<ITimer> holder)
    {
        lock (gate)
        {
            if (holder.Value is not { } timer || !timers.Remove(timer))
            {
                return;
            }
        }
        holder.Value.Dispose();
        Add(key);
    }
}
