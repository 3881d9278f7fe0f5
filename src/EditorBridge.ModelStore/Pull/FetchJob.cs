namespace EditorBridge.ModelStore.Pull;

/// <summary>One file to bring to its full size in its partial file: from where, how big, and where progress and resume facts go.</summary>
internal sealed record FetchJob(string Label, long Size, PartialFile Part, DownloadRecord Record, Action SaveState, ProgressMeter Meter);
