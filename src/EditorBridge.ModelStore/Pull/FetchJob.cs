namespace EditorBridge.ModelStore.Pull;

/// <summary>
/// One file to bring to its full size in its partial file: its label for messages, its size (null until a
/// server says it, for files whose publisher gives none), and where progress and resume facts go.
/// </summary>
internal sealed class FetchJob(string label, long? size, PartialFile part, DownloadRecord record, Action saveState, ProgressMeter meter)
{
    public string Label { get; } = label;

    public long? Size { get; private set; } = size;

    public PartialFile Part { get; } = part;

    public DownloadRecord Record { get; } = record;

    public ProgressMeter Meter { get; } = meter;

    public bool IsComplete => Size is long size && Part.Length >= size;

    public void SaveState() => saveState();

    /// <summary>The size a server or mirror reports; a known size that differs means the wrong file.</summary>
    public void LearnSize(long reported, string source)
    {
        if (Size is long expected && expected != reported)
            throw new PullException(PullFailure.Corrupt, $"{source} serves {reported} bytes for {Label}, the catalog expects {expected}: not the published file");
        Size = reported;
        Record.Size = reported;
    }
}
