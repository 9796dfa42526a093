using System.Net.Sockets;
using Npgsql;

namespace SsoOperator.IdP.Store;

/// <summary>The database cannot be reached; the inner exception says why. Retrying later may succeed.</summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException()
    {
    }

    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when <paramref name="exception"/> (or one it wraps) means the server is unreachable.</summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // Note: class 08 is "connection exception"; 57P0x are shutdown and start-up states.
                case PostgresException pg:
                    return pg.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || pg.SqlState is "57P01" or "57P02" or "57P03";
                case NpgsqlException or SocketException or TimeoutException:
                    return true;
            }
        }
        return false;
    }
}
