namespace EditorBridge.ModelStore.Pull;

/// <summary>A try that failed in a way another try may not (dropped or stalled connection, HTTP 5xx/408/429).</summary>
internal sealed class RetryableFetchException(PullFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public PullFailure Failure { get; } = failure;
}
