using EditorBridge.Daemon.Engines;
using EditorBridge.Imaging;
using EditorBridge.Protocol.V1;

namespace EditorBridge.Daemon.Jobs;

/// <summary>A validated job request: every field checked, defaults filled in.</summary>
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
    string ClientLabel);
