namespace EditorBridge.Daemon.Blobs;

/// <summary><see cref="Length"/> bytes from <see cref="Offset"/> in the pixel region <see cref="Id"/> (a request's or a result's reference).</summary>
public sealed record RegionSlice(string Id, long Offset, long Length);
