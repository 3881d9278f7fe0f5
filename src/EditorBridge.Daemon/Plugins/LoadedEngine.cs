using EditorBridge.Engines;

namespace EditorBridge.Daemon.Plugins;

/// <summary>An engine instance with what it said about itself and where it came from.</summary>
public sealed record LoadedEngine(IEngine Engine, EngineDescriptor Descriptor, string Location)
{
    public string Name => Descriptor.Name;

    public string Device => Descriptor.Devices.Count > 0 ? Descriptor.Devices[0] : "cpu";

    public OperationDescriptor? Operation(string name) =>
        Descriptor.Operations.FirstOrDefault(o => o.Name == name);
}
