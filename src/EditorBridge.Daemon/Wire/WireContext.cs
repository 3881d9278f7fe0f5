using EditorBridge.Daemon.Core;
using EditorBridge.Imaging;
using EditorBridge.Protocol.V1;

namespace EditorBridge.Daemon.Wire;

/// <summary>
/// The context rule on the wire: <see cref="ContextCrop"/>'s settings as a <see cref="ContextRule"/>
/// (OperationInfo.context_rule) and its exact answer for a selection (GetInfoRequest.context).
/// </summary>
public static class WireContext
{
    public static ContextRule Rule(GeometrySettings s) => new()
    {
        MarginPercent = s.ContextMarginPercent,
        MinPixels = s.ContextMinPixels,
        MaxPixels = s.ContextMaxPixels,
        GrowPixels = s.GrowPixels,
    };

    public static Rect ToWire(PixelRect r) => new() { X = r.X, Y = r.Y, Width = r.Width, Height = r.Height };

    /// <summary>Plans <paramref name="query"/> with <paramref name="defaults"/> and its own geometry; INVALID_ARGUMENT naming the field at fault.</summary>
    public static ContextAnswer Answer(ContextQuery query, GeometrySettings defaults)
    {
        var layer = Read(query.Layer, "context.layer");
        var selection = Read(query.Selection, "context.selection");
        var settings = WireGeometry.Merge(defaults, query.Geometry);
        if (settings.Validate() is { } bad)
            throw RequestException.Invalid("context.geometry." + bad.Field, bad.Message);
        if (!settings.Outpaint && selection.Intersect(layer).IsEmpty)
            throw RequestException.Invalid("context.selection", $"{selection} does not touch the layer {layer}");
        ContextPlan plan;
        try
        {
            plan = ContextCrop.Plan(selection, layer, settings);
        }
        catch (ArgumentException e)
        {
            throw RequestException.Invalid("context.selection", e.Message.Split(" (Parameter", 2)[0]);
        }

        return new ContextAnswer
        {
            Crop = ToWire(plan.Crop),
            Result = ToWire(plan.Result),
            Context = ToWire(plan.Context),
            Margin = plan.Margin,
            Rule = Rule(settings),
        };
    }

    private static PixelRect Read(Rect? rect, string field)
    {
        if (rect is null)
            throw RequestException.Invalid(field, "is required");
        if (rect.Width <= 0 || rect.Height <= 0)
            throw RequestException.Invalid(field, $"{rect.Width}x{rect.Height} is empty");
        if ((long)rect.X + rect.Width > int.MaxValue / 2 || (long)rect.Y + rect.Height > int.MaxValue / 2
            || rect.X < int.MinValue / 2 || rect.Y < int.MinValue / 2)
            throw RequestException.Invalid(field, "lies too far out");
        return new PixelRect(rect.X, rect.Y, rect.Width, rect.Height);
    }
}
