using EditorBridge.Engines;

namespace EditorBridge.Daemon.Jobs;

/// <summary>One parameter on a canvas axis, in canvas pixels as the request gave it.</summary>
public sealed record CanvasParameter(string Name, CanvasAxis Axis, double Value);
