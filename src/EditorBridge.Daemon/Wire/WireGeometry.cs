using EditorBridge.Imaging;
using EditorBridge.Protocol.V1;

namespace EditorBridge.Daemon.Wire;

/// <summary>Geometry options on the wire (every field optional) ↔ complete settings.</summary>
public static class WireGeometry
{
    public static GeometryOptions ToWire(GeometrySettings s) => new()
    {
        ContextMarginPercent = s.ContextMarginPercent,
        ContextMinPixels = s.ContextMinPixels,
        ContextMaxPixels = s.ContextMaxPixels,
        GrowPixels = s.GrowPixels,
        FeatherPixels = s.FeatherPixels,
        Outpaint = s.Outpaint,
    };

    public static GeometrySettings Merge(GeometrySettings defaults, GeometryOptions? wire)
    {
        if (wire is null)
            return defaults;
        return new GeometrySettings(
            wire.HasContextMarginPercent ? wire.ContextMarginPercent : defaults.ContextMarginPercent,
            wire.HasContextMinPixels ? wire.ContextMinPixels : defaults.ContextMinPixels,
            wire.HasContextMaxPixels ? wire.ContextMaxPixels : defaults.ContextMaxPixels,
            wire.HasGrowPixels ? wire.GrowPixels : defaults.GrowPixels,
            wire.HasFeatherPixels ? wire.FeatherPixels : defaults.FeatherPixels,
            wire.HasOutpaint ? wire.Outpaint : defaults.Outpaint);
    }
}
