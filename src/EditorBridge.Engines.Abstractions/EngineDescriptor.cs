namespace EditorBridge.Engines;

/// <summary>What an engine is and which operations it offers.</summary>
/// <param name="Priority">Higher wins when several engines offer the same operation.</param>
public sealed record EngineDescriptor(
    string Name,
    string Version,
    string Description,
    IReadOnlyList<OperationDescriptor> Operations,
    IReadOnlyList<string> Devices,
    int Priority = 0);
