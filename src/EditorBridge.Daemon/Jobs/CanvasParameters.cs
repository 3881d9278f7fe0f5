using System.Globalization;
using EditorBridge.Engines;
using EditorBridge.Imaging;

namespace EditorBridge.Daemon.Jobs;

/// <summary>
/// A job's parameters that are canvas geometry, read once when the request is validated: the
/// coordinates and lengths the operation declares on a canvas axis (segment's click point), and the
/// factor an upscaling operation makes the layer larger by. The validator checks these values against
/// the layer and the limits; the executor converts the same values to work-image pixels and expects
/// the engine's answer at the same scale.
/// </summary>
public sealed record CanvasParameters(IReadOnlyList<CanvasParameter> Coordinates, string? ScaleParameter, int OutputScale)
{
    /// <summary>No canvas coordinates, no scaling.</summary>
    public static CanvasParameters None { get; } = new([], null, 1);

    /// <summary>From bound parameters (every declared one present, defaults filled in).</summary>
    public static CanvasParameters Read(OperationDescriptor operation, IReadOnlyDictionary<string, object> parameters)
    {
        var coordinates = operation.Parameters
            .Where(p => p.Axis != CanvasAxis.None)
            .Select(p => new CanvasParameter(p.Name, p.Axis, Number(parameters[p.Name])))
            .ToList();
        if (operation.OutputScaleParameter is not { } name || !parameters.TryGetValue(name, out var value))
            return new(coordinates, null, 1);
        return new(coordinates, name, (int)Math.Clamp(Math.Round(Number(value)), 1, int.MaxValue));
    }

    /// <summary>The parameters the engine gets: canvas coordinates become work-image pixels, everything else passes as checked.</summary>
    public IReadOnlyDictionary<string, object> ForWorkArea(IReadOnlyDictionary<string, object> parameters, SelectionWorkArea area)
    {
        if (Coordinates.Count == 0)
            return parameters;
        var work = new Dictionary<string, object>(parameters);
        foreach (var c in Coordinates)
        {
            work[c.Name] = c.Axis switch
            {
                CanvasAxis.X => area.WorkX(c.Value),
                CanvasAxis.Y => area.WorkY(c.Value),
                CanvasAxis.Width => area.WorkWidthOf(c.Value),
                _ => area.WorkHeightOf(c.Value),
            };
        }

        return work;
    }

    private static double Number(object value) => Convert.ToDouble(value, CultureInfo.InvariantCulture);
}
