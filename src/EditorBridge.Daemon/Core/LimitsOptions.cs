namespace EditorBridge.Daemon.Core;

/// <summary>Size limits. The defaults fit an 8192² RGBA16 layer plus its mask in one request.</summary>
public sealed class LimitsOptions
{
    public const long DefaultMaxRequestBytes = 8192L * 8192 * 8 + 8192L * 8192 + 16 * 1024 * 1024;

    public long MaxPixels { get; set; } = 8192L * 8192;

    public int MaxSide { get; set; } = 16384;

    public long MaxRequestBytes { get; set; } = DefaultMaxRequestBytes;

    public int MaxConcurrentJobsPerDevice { get; set; } = 1;

    /// <summary>Memory all stored blobs may take together.</summary>
    public long BlobBudgetBytes { get; set; } = 2L * DefaultMaxRequestBytes;

    public int BlobTtlSeconds { get; set; } = 600;

    /// <summary>A job running longer than this is cancelled (0 = no limit).</summary>
    public int JobTimeoutSeconds { get; set; } = 3600;

    /// <summary>ImportModel refuses a model larger than this (all files together).</summary>
    public long MaxModelBytes { get; set; } = EditorBridge.ModelStore.ModelImportOptions.DefaultMaxTotalBytes;

    /// <summary>ImportModel refuses a model with more files than this.</summary>
    public int MaxModelFiles { get; set; } = EditorBridge.ModelStore.ModelImportOptions.DefaultMaxFiles;
}
