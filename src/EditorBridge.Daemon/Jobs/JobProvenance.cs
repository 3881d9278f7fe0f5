using EditorBridge.Imaging;

namespace EditorBridge.Daemon.Jobs;

/// <summary>
/// How a result was made, enough to make it again on the same machine: engine, model, seed,
/// parameters as the engine used them (<c>method=auto</c> → the method it chose), geometry, device
/// and where the time went.
/// </summary>
public sealed record JobProvenance(
    string Operation,
    string Engine,
    string EngineVersion,
    string ModelHash,
    string Model,
    ulong Seed,
    IReadOnlyDictionary<string, object> Parameters,
    GeometrySettings Geometry,
    string Device,
    double QueuedMs,
    double EngineMs,
    double TotalMs)
{
    /// <summary>When the model was made from another (a LoRA merge): its base and LoRAs, from the manifest.</summary>
    public EditorBridge.ModelStore.ModelVariant? Variant { get; init; }

    /// <summary>The control types that steered the result (the engine's <c>EngineOutput.Controls</c>).</summary>
    public IReadOnlyList<string> Controls { get; init; } = [];

    /// <summary>How the request's pixels arrived and the result's left: "bytes", "blob" or "shared-memory".</summary>
    public string PixelsIn { get; init; } = "bytes";

    public string PixelsOut { get; init; } = "bytes";
}
