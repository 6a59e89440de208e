namespace ContactLists.Http;

/// <summary>
/// A graceful stop of the bulk call a request belongs to (<see cref="BulkOptions.StopSending"/>), as the flow of that
/// call sees it: the bulk engine sets it around each batch it sends, so that every request the batch makes (an
/// id-resolving provider's lookups and creates, paced one by one) can stop between requests, not only between batches.
/// A request still waiting for the rate limits when the stop comes is abandoned unsent; one already sent is answered.
/// </summary>
internal static class SendingStop
{
    private static readonly AsyncLocal<CancellationToken> Stop = new();

    /// <summary>The stop of the bulk call this flow belongs to; <see cref="CancellationToken.None"/> outside one.</summary>
    public static CancellationToken Current => Stop.Value;

    /// <summary>Whether the bulk call this flow belongs to was asked to stop.</summary>
    public static bool Requested => Stop.Value.IsCancellationRequested;

    /// <summary>Sets the stop for the flow of <paramref name="send"/> (and every task it starts).</summary>
    public static async Task<T> RunAsync<T>(Func<Task<T>> send, CancellationToken stop)
    {
        var previous = Stop.Value;
        Stop.Value = stop;
        try
        {
            return await send().ConfigureAwait(false);
        }
        finally
        {
            Stop.Value = previous;
        }
    }

    /// <summary>The exception a request abandoned unsent on a stop throws: nothing reached the provider.</summary>
    public static OperationCanceledException Abandoned() => new("The bulk call was asked to stop: this request was not sent.", Stop.Value);

    /// <summary>Whether <paramref name="error"/> is a request abandoned unsent because its bulk call was stopping.</summary>
    public static bool IsAbandoned(Exception error) => error is OperationCanceledException { CancellationToken: var token } && token.IsCancellationRequested && token == Stop.Value;
}
