namespace EditorBridge.ModelStore.Pull;

/// <summary>
/// How a pull behaves. The defaults suit a real network; tests shorten the timeouts.
/// </summary>
public sealed record PullOptions
{
    /// <summary>
    /// Where to fetch instead of the publisher: an http(s) base URL or a local folder. Files are looked up
    /// as <c>&lt;mirror&gt;/&lt;model name&gt;/&lt;file path&gt;</c> (the store's own layout, so a copied models
    /// folder is a mirror). Null or empty: the publisher's URLs.
    /// </summary>
    public string? Mirror { get; init; }

    /// <summary>The user said yes to a licence that needs acceptance.</summary>
    public bool LicenceAccepted { get; init; }

    /// <summary>A connection that sends no byte (or no answer) for this long is dropped and retried.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Tries per file before giving up; the count starts again whenever a try made progress.</summary>
    public int Attempts { get; init; } = 5;

    /// <summary>Wait before the first retry; doubled for each further one.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Free space kept beyond what is left to download.</summary>
    public long FreeSpaceMargin { get; init; } = 250_000_000;

    /// <summary>Free bytes on the file system holding a folder; replaceable to simulate a full disk.</summary>
    public Func<string, long> FreeSpace { get; init; } = DiskSpace.FreeBytes;

    /// <summary>Least time between two progress reports (the last one is always sent).</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The engines' check of a model folder before install (problems, empty when fine); null: none.</summary>
    public Func<string, IReadOnlyList<string>>? Check { get; init; }
}
