using EditorBridge.Imaging;

namespace EditorBridge.Daemon.Jobs;

/// <summary>
/// A finished job's answer: the layer (and a mask the engine found, e.g. segment's), each with the
/// blob id it was stored under when the request asked for blob delivery, and the provenance.
/// <see cref="Layer"/> is null when the layer's pixels are in a pixel region (<see cref="LayerRegion"/>):
/// the daemon then keeps no copy of them (an unscaled whole-layer answer is written there directly).
/// </summary>
public sealed record JobResult(Raster? Layer, string? LayerBlobId, SelectionMask? Mask, string? MaskBlobId, JobProvenance Provenance)
{
    /// <summary>Where the layer's pixels were written instead (a pixel region); null: <see cref="Layer"/>, inline or <see cref="LayerBlobId"/>.</summary>
    public LayerInRegion? LayerRegion { get; init; }

    /// <summary>Where the mask's coverage was written instead (right after the layer).</summary>
    public Blobs.RegionSlice? MaskRegion { get; init; }
}
