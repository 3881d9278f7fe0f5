namespace EditorBridge.Daemon.Jobs;

/// <summary>How a job's result pictures reach the client: in the result itself, or as blobs fetched afterwards (JSON clients).</summary>
public enum ResultDelivery
{
    Inline,
    Blob,
}
