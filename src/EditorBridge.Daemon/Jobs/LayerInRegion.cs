using EditorBridge.Daemon.Blobs;
using EditorBridge.Imaging;

namespace EditorBridge.Daemon.Jobs;

/// <summary>A result layer whose pixels were written into a pixel region: its place on the canvas, its format and where in the region it lies.</summary>
public sealed record LayerInRegion(PixelRect Bounds, PixelFormat Format, RegionSlice At);
