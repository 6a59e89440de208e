namespace ContactLists;

/// <summary>
/// A bulk operation stopped part-way after requests were sent: a batch failed and <see cref="BulkOptions.ContinueOnError"/>
/// was off, reading the input failed, or (with <see cref="InvalidContactHandling.Throw"/>) an invalid contact came in a
/// streamed input after some batches were sent. <see cref="Result"/> says what was delivered and what was not; the
/// cause is the inner exception (a <see cref="ContactListException"/> subclass, the input's own exception, or a
/// <see cref="ContactListValidationException"/> naming the contact).
/// </summary>
public sealed class ContactListBulkException : ContactListException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="result">The partial result.</param>
    /// <param name="innerException">The batch's failure.</param>
    public ContactListBulkException(string message, BulkResult result, Exception innerException)
        : base(message, (innerException as ContactListException) is { } cle
            ? new ProviderError(cle.Provider, cle.StatusCode, cle.RequestId, cle.ErrorBody, cle.ErrorMessages, cle.RateLimit)
            : ProviderError.NoResponse(result?.Provider ?? "unknown"), innerException)
    {
        ArgumentNullException.ThrowIfNull(result);
        Result = result;
    }

    /// <summary>What was delivered and what was not.</summary>
    public BulkResult Result { get; }

    /// <summary>When reading the input failed (the enumerable threw): the position of the item that could not be read.</summary>
    public long? FailedInputIndex { get; init; }
}

/// <summary>A bulk operation was cancelled. <see cref="Result"/> says what was delivered before, and what was not.</summary>
public sealed class ContactListBulkCanceledException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="result">The partial result.</param>
    /// <param name="innerException">The cancellation.</param>
    /// <param name="token">The token that was cancelled.</param>
    public ContactListBulkCanceledException(BulkResult result, Exception? innerException, CancellationToken token)
        : base($"The {result?.Operation} operation on list '{result?.ListId}' was cancelled after {result?.Sent} of {result?.Read} contacts read were sent.", innerException, token)
    {
        ArgumentNullException.ThrowIfNull(result);
        Result = result;
    }

    /// <summary>What was delivered and what was not.</summary>
    public BulkResult Result { get; }
}
