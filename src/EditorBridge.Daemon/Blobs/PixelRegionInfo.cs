namespace EditorBridge.Daemon.Blobs;

/// <summary>A pixel region as its client sees it: the id requests name, the file to map, its size and when it expires unused.</summary>
public sealed record PixelRegionInfo(string Id, string Path, long Size, DateTimeOffset Expires);
