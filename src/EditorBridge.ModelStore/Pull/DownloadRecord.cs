namespace EditorBridge.ModelStore.Pull;

/// <summary>One file's resume facts: the URL fetched, the server's ETag or Last-Modified, and its SHA-256 once verified.</summary>
internal sealed class DownloadRecord
{
    public string? Url { get; set; }

    /// <summary>ETag (quoted, as sent) or Last-Modified (HTTP date) of the bytes in the partial file.</summary>
    public string? Validator { get; set; }

    /// <summary>The file's size as the server reported it (for files the catalog gives no exact size).</summary>
    public long? Size { get; set; }

    /// <summary>Set once the complete file matched its size and hash; the file is then at its final name.</summary>
    public string? Sha256 { get; set; }
}
