using System.Collections.Concurrent;

namespace ContactLists.Emulator;

/// <summary>A request the emulator answered, for tests to inspect.</summary>
/// <param name="Provider">The provider module.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, without the provider prefix.</param>
/// <param name="StatusCode">The status answered.</param>
/// <param name="At">When it was answered, on the emulator's clock.</param>
public sealed record EmulatorRequest(string Provider, string Method, string Path, int StatusCode, DateTimeOffset At);

/// <summary>Every request the emulator answered, in order.</summary>
public sealed class EmulatorRequestLog
{
    private readonly ConcurrentQueue<EmulatorRequest> _requests = new();

    /// <summary>A snapshot of the requests so far.</summary>
    public IReadOnlyList<EmulatorRequest> Requests => _requests.ToArray();

    /// <summary>Called with every request as it is answered (the emulator tool's <c>--verbose</c> prints them). Keep it quick.</summary>
    public event Action<EmulatorRequest>? Answered;

    internal void Add(EmulatorRequest request)
    {
        _requests.Enqueue(request);
        Answered?.Invoke(request);
    }

    /// <summary>Forgets the requests so far.</summary>
    public void Clear() => _requests.Clear();
}
