using EditorBridge.Daemon.Plugins;
using EditorBridge.Imaging;

namespace EditorBridge.Daemon.Jobs;

/// <summary>
/// A validated job request: every field checked, defaults filled in. <see cref="Inputs"/>: the extra
/// pictures by name (null = none), checked like the layer.
/// </summary>
public sealed record JobPlan(
    string Operation,
    LoadedEngine Engine,
    Raster Layer,
    SelectionMask? Mask,
    IReadOnlyDictionary<string, object> Parameters,
    ulong Seed,
    string Prompt,
    string NegativePrompt,
    GeometrySettings Geometry,
    ResultDelivery Delivery,
    string ClientLabel,
    IReadOnlyDictionary<string, Raster>? Inputs = null)
{
    /// <summary>The parameters on canvas axes and the output scale, read once by the validator; the executor uses the same.</summary>
    public required CanvasParameters Canvas { get; init; }

    /// <summary>The installed model the request named; empty: the engine's default.</summary>
    public string Model { get; init; } = "";

    /// <summary>Where the result's pixels go when they fit (a pixel region the request named); null: <see cref="Delivery"/>.</summary>
    public Blobs.RegionSlice? ResultRegion { get; init; }

    /// <summary>The pixel region the layer's bytes were read from (its snapshot is <see cref="Layer"/>'s array); null: not a region.</summary>
    public string? LayerRegionId { get; init; }

    /// <summary>How the request's pixels arrived: "bytes", "blob" or "shared-memory" (reported in the timings).</summary>
    public string PixelsIn { get; init; } = "bytes";
}
