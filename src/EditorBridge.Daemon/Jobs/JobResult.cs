using EditorBridge.Imaging;

namespace EditorBridge.Daemon.Jobs;

/// <summary>
/// A finished job's answer: the layer (and a mask the engine found, e.g. segment's), each with the
/// blob id it was stored under when the request asked for blob delivery, and the provenance.
/// </summary>
public sealed record JobResult(Raster Layer, string? LayerBlobId, SelectionMask? Mask, string? MaskBlobId, JobProvenance Provenance);
