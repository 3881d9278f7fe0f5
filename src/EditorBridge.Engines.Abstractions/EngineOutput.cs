namespace EditorBridge.Engines;

/// <summary>What an engine produced: an image the size of the work area, and which device ran it.</summary>
public sealed record EngineOutput(EngineImage Image, string Device, string ModelHash = "");
