using EditorBridge.Daemon.Jobs;
using EditorBridge.Engines;
using EditorBridge.Imaging;

namespace EditorBridge.Daemon.Tests;

public sealed class CanvasParametersTests
{
    private static readonly OperationDescriptor Operation = new("segment", "",
    [
        new ParameterDescriptor("x", ParameterKind.Number, "", 0.0, Axis: CanvasAxis.X),
        new ParameterDescriptor("y", ParameterKind.Number, "", 0.0, Axis: CanvasAxis.Y),
        new ParameterDescriptor("width", ParameterKind.Number, "", 0.0, Axis: CanvasAxis.Width),
        new ParameterDescriptor("height", ParameterKind.Number, "", 0.0, Axis: CanvasAxis.Height),
        new ParameterDescriptor("scale", ParameterKind.Integer, "", 1.0, 1, 4),
        new ParameterDescriptor("note", ParameterKind.Text, "", ""),
    ], OutputScaleParameter: "scale");

    [Fact]
    public void Reads_the_canvas_axes_and_the_output_scale_once()
    {
        var canvas = CanvasParameters.Read(Operation, Parameters(x: 10, y: 20, scale: 2.4));

        Assert.Equal(["x:X:10", "y:Y:20", "width:Width:8", "height:Height:6"], canvas.Coordinates.Select(c => $"{c.Name}:{c.Axis}:{c.Value}"));
        Assert.Equal("scale", canvas.ScaleParameter);
        Assert.Equal(2, canvas.OutputScale);
    }

    [Fact]
    public void Converts_the_same_values_to_work_area_pixels_and_passes_the_rest()
    {
        // a 100x50 layer at (40, 30), worked on at half size: 50x25
        var layer = new Raster(new PixelRect(40, 30, 100, 50), PixelFormat.Rgba8, new byte[100 * 50 * 4]);
        var area = SelectionWorkArea.WholeLayer(layer, maxWorkingSide: 50, sizeMultiple: 1);
        var parameters = Parameters(x: 40 + 10, y: 30 + 20, scale: 1);

        var work = CanvasParameters.Read(Operation, parameters).ForWorkArea(parameters, area);

        Assert.Equal((50, 25), (area.WorkWidth, area.WorkHeight));
        Assert.Equal(10.5 / 2 - 0.5, (double)work["x"], 9);
        Assert.Equal(20.5 / 2 - 0.5, (double)work["y"], 9);
        Assert.Equal(4.0, (double)work["width"], 9);
        Assert.Equal(3.0, (double)work["height"], 9);
        Assert.Equal("kept", work["note"]);
        Assert.Equal(1.0, work["scale"]);
    }

    [Fact]
    public void An_operation_without_canvas_parameters_passes_its_parameters_through()
    {
        var plain = new OperationDescriptor("fill", "", [new ParameterDescriptor("radius", ParameterKind.Number, "", 5.0)]);
        var parameters = new Dictionary<string, object> { ["radius"] = 5.0 };
        var layer = new Raster(new PixelRect(0, 0, 4, 4), PixelFormat.Rgba8, new byte[64]);

        var canvas = CanvasParameters.Read(plain, parameters);

        Assert.Empty(canvas.Coordinates);
        Assert.Equal(1, canvas.OutputScale);
        Assert.Same(parameters, canvas.ForWorkArea(parameters, SelectionWorkArea.WholeLayer(layer, 0, 1)));
    }

    private static Dictionary<string, object> Parameters(double x, double y, double scale) => new()
    {
        ["x"] = x,
        ["y"] = y,
        ["width"] = 8.0,
        ["height"] = 6.0,
        ["scale"] = scale,
        ["note"] = "kept",
    };
}
