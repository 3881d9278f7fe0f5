using EditorBridge.Engines;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using CanvasAxis = EditorBridge.Engines.CanvasAxis;
using ParameterKind = EditorBridge.Engines.ParameterKind;

namespace EditorBridge.EndToEnd.Tests;

/// <summary>
/// The contract's extra pictures (<c>inputs</c>), canvas-coordinate parameters, upscaled results and
/// returned masks, through the real daemon with a probe engine that records what it was given.
/// </summary>
public sealed class ExtraInputsTests : IAsyncLifetime
{
    private readonly ProbeEngine probe = new();
    private RunningDaemon daemon = null!;

    public async Task InitializeAsync() => daemon = await RunningDaemon.StartAsync(o =>
    {
        o.Limits.MaxSide = 1024;
        o.Limits.MaxPixels = 128 * 128;
    }, [TestEngines.Wrap(probe)]);

    public async Task DisposeAsync() => await daemon.DisposeAsync();

    private static RgbaPicture Layer => TestPictures.Load("astronaut.png").Crop(100, 100, 64, 48);

    /// <summary>A valid probe request on a 64x48 layer placed at (10, 20) on the canvas.</summary>
    private static JobRequest Valid()
    {
        var request = new JobRequest
        {
            Operation = "probe",
            Layer = WireRequests.Layer(Layer, 10, 20),
            Seed = 1,
            Parameters = new Struct { Fields = { ["x"] = Value.ForNumber(40), ["y"] = Value.ForNumber(30) } },
        };
        request.Inputs["hints"] = Marker(10, 20, 64, 48, 5, 7);
        return request;
    }

    // An opaque marker pixel at (mx, my) inside a transparent input of the given canvas bounds.
    private static Image Marker(int x, int y, int width, int height, int mx, int my)
    {
        var pixels = new byte[width * height * 4];
        pixels.AsSpan(((my * width) + mx) * 4, 4).Fill(255);
        return WireRequests.Layer(new RgbaPicture(width, height, pixels), x, y);
    }

    public static TheoryData<string, StatusCode, string> Cases => new()
    {
        { "unknown input", StatusCode.InvalidArgument, "inputs.sketch: unknown input for 'probe'; known: hints, reference" },
        { "hints larger than the layer", StatusCode.InvalidArgument, "inputs.hints: bounds 65x48@(10,20) reach outside the layer 64x48@(10,20)" },
        { "hints off the layer", StatusCode.InvalidArgument, "inputs.hints: bounds 64x48@(0,0) reach outside the layer" },
        { "hints byte count", StatusCode.InvalidArgument, "inputs.hints.data: 12287 bytes, expected 12288 (64x48 RGBA8)" },
        { "hints without format", StatusCode.InvalidArgument, "inputs.hints.format: missing" },
        { "hints without pixels", StatusCode.InvalidArgument, "inputs.hints.data: missing" },
        { "hints of zero width", StatusCode.InvalidArgument, "inputs.hints.width" },
        { "huge reference", StatusCode.ResourceExhausted, "inputs.reference.width: 2000 pixels is over the limit of 1024" },
        { "unknown reference blob", StatusCode.NotFound, "inputs.reference.blob_id: no blob 'blob-nope'" },
        { "point left of the layer", StatusCode.InvalidArgument, "parameters.x: 9 is not a column of the layer" },
        { "point below the layer", StatusCode.InvalidArgument, "parameters.y: 68 is not a row of the layer" },
        { "box wider than the layer", StatusCode.InvalidArgument, "parameters.width: 65 is not a width within the layer" },
        { "point missing", StatusCode.InvalidArgument, "parameters.y: missing; 'probe' needs it" },
        { "upscale of a selection", StatusCode.InvalidArgument, "mask: 'probe' with scale=2 makes the whole layer 2× larger" },
        { "upscale over the limits", StatusCode.ResourceExhausted, "parameters.scale: 64x48 × 4 = 256x192 is over the limits" },
        { "engine refuses an input", StatusCode.InvalidArgument, "inputs.hints: the probe refuses hints that are all red" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_extra_inputs_and_coordinates_are_refused_precisely(string change, StatusCode code, string message)
    {
        var request = Valid();
        Break(request, change);

        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.RunJobAsync(request));

        Assert.Equal(code, e.StatusCode);
        Assert.Contains(message, e.Status.Detail);
    }

    [Fact]
    public async Task A_required_input_is_checked_before_the_job_is_queued()
    {
        var request = Valid();
        request.Operation = "needs";
        request.Inputs.Clear();
        request.Parameters.Fields.Clear();

        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.RunJobAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("inputs.object: missing; 'needs' needs it", e.Status.Detail);
        Assert.Equal(0, probe.Runs);
    }

    [Fact]
    public async Task Canvas_inputs_are_cut_to_the_work_area_and_coordinates_follow()
    {
        var request = Valid();
        // A selection at (30..45, 30..41) on the canvas; the work area is the context around it.
        request.Mask = WireRequests.Rectangle(30, 30, 16, 12);
        request.Geometry = new GeometryOptions { GrowPixels = 0, ContextMinPixels = 4, ContextMaxPixels = 4, ContextMarginPercent = 0 };
        // Hints cover only part of the layer: canvas (20..51, 25..56), marker at canvas (33, 35).
        request.Inputs["hints"] = Marker(20, 25, 32, 32, 13, 10);
        request.Inputs["reference"] = WireRequests.Layer(TestPictures.Load("coffee.png").Crop(0, 0, 60, 30));

        var result = await daemon.Client.RunJobAsync(request);

        var seen = probe.Last!;
        // Context = selection (30,30,16,12) + 4 px = (26,26,24,20): not scaled.
        Assert.Equal((24, 20), (seen.Image.Width, seen.Image.Height));
        var hints = seen.Input("hints")!;
        Assert.Equal((24, 20), (hints.Width, hints.Height));
        var opaque = Enumerable.Range(0, 24 * 20).Where(p => hints.Pixels[p * 4 + 3] != 0).ToArray();
        Assert.Equal([(35 - 26) * 24 + (33 - 26)], opaque);
        var reference = seen.Input("reference")!;
        Assert.Equal((60, 30), (reference.Width, reference.Height));
        Assert.Equal(40 - 26, seen.Number("x"), 6);
        Assert.Equal(30 - 26, seen.Number("y"), 6);
        // The probe answers with the hints' alpha as its mask: it comes back on the canvas, limited to the selection.
        Assert.Equal((26, 26, 24, 20), (result.Mask.OffsetX, result.Mask.OffsetY, result.Mask.Width, result.Mask.Height));
        var coverage = result.Mask.Coverage.ToByteArray();
        Assert.Equal([(35 - 26) * 24 + (33 - 26)], Enumerable.Range(0, coverage.Length).Where(p => coverage[p] != 0));
        Assert.Equal(255, coverage[(35 - 26) * 24 + (33 - 26)]);
    }

    [Fact]
    public async Task An_upscale_returns_the_whole_layer_larger_at_a_scaled_offset()
    {
        var request = Valid();
        request.Inputs.Clear();
        request.Parameters.Fields["scale"] = Value.ForNumber(2);

        var result = await daemon.Client.RunJobAsync(request);

        Assert.Equal((20, 40, 128, 96), (result.Layer.OffsetX, result.Layer.OffsetY, result.Layer.Width, result.Layer.Height));
        var source = Layer.Rgba;
        var pixels = result.Layer.Data.ToByteArray();
        // The probe upscales by pixel repetition, and the daemon passes its answer through unchanged.
        for (int y = 0; y < 96; y += 7)
            for (int x = 0; x < 128; x += 5)
                Assert.Equal(source.AsSpan(((y / 2 * 64) + (x / 2)) * 4, 4).ToArray(), pixels.AsSpan(((y * 128) + x) * 4, 4).ToArray());
        Assert.Equal(2, result.Provenance.Parameters.Fields["scale"].NumberValue);
        Assert.Null(result.Mask);
    }

    [Fact]
    public async Task Json_clients_send_inputs_by_blob_and_get_the_mask_as_a_blob()
    {
        var hints = Marker(0, 0, 64, 48, 5, 7).Data.ToByteArray();
        var layerId = await PutAsync(Layer.Rgba);
        var hintsId = await PutAsync(hints);
        var job = """
            {"operation":"probe","seed":"3","parameters":{"x":12,"y":25},"resultDelivery":"RESULT_DELIVERY_BLOB",
             "layer":{"width":64,"height":48,"offsetX":10,"offsetY":20,"format":"PIXEL_FORMAT_RGBA8","blobId":"LAYER"},
             "inputs":{"hints":{"width":64,"height":48,"offsetX":10,"offsetY":20,"format":"PIXEL_FORMAT_RGBA8","blobId":"HINTS"}}}
            """.Replace("LAYER", layerId).Replace("HINTS", hintsId);

        var lines = await (await daemon.Http.PostAsync("/v1/jobs", new StringContent(job, System.Text.Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync();

        var last = System.Text.Json.JsonDocument.Parse(lines.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        var mask = last.GetProperty("result").GetProperty("mask");
        Assert.Equal(10, mask.GetProperty("offsetX").GetInt32());
        var coverage = await daemon.Http.GetByteArrayAsync($"/v1/blobs/{mask.GetProperty("blobId").GetString()}");
        Assert.Equal([(7 * 64) + 5], Enumerable.Range(0, coverage.Length).Where(p => coverage[p] != 0));
        Assert.Equal(2, probe.Last!.Number("x"), 6);
    }

    [Fact]
    public async Task GetInfo_shows_inputs_required_parameters_canvas_axes_and_the_scale_parameter()
    {
        var info = await daemon.Client.GetInfoAsync();

        var operation = info.Engines.Single(e => e.Name == "probe").Operations.Single(o => o.Name == "probe");
        Assert.Equal("scale", operation.OutputScaleParameter);
        Assert.Equal(["hints:True", "reference:False"], operation.Inputs.Select(i => $"{i.Name}:{i.CanvasAligned}"));
        var x = operation.Parameters.Single(p => p.Name == "x");
        Assert.True(x.Required);
        Assert.Equal(Protocol.V1.CanvasAxis.X, x.CanvasAxis);
        Assert.Equal(Protocol.V1.CanvasAxis.Unspecified, operation.Parameters.Single(p => p.Name == "scale").CanvasAxis);
        var needs = info.Engines.Single(e => e.Name == "probe").Operations.Single(o => o.Name == "needs");
        Assert.True(needs.Inputs.Single().Required);
    }

    private async Task<string> PutAsync(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("application/octet-stream");
        var put = await (await daemon.Http.PostAsync("/v1/blobs", content)).Content.ReadAsStringAsync();
        return System.Text.Json.JsonDocument.Parse(put).RootElement.GetProperty("blobId").GetString()!;
    }

    private static void Break(JobRequest r, string change)
    {
        switch (change)
        {
            case "unknown input": r.Inputs["sketch"] = r.Inputs["hints"]; break;
            case "hints larger than the layer": r.Inputs["hints"] = Marker(10, 20, 65, 48, 0, 0); break;
            case "hints off the layer": r.Inputs["hints"].OffsetX = 0; r.Inputs["hints"].OffsetY = 0; break;
            case "hints byte count": r.Inputs["hints"].Data = ByteString.CopyFrom(r.Inputs["hints"].Data.Span[1..]); break;
            case "hints without format": r.Inputs["hints"].Format = Protocol.V1.PixelFormat.Unspecified; break;
            case "hints without pixels": r.Inputs["hints"].ClearPixels(); break;
            case "hints of zero width": r.Inputs["hints"].Width = 0; break;
            case "huge reference": r.Inputs["reference"] = new Image { Width = 2000, Height = 10, Format = Protocol.V1.PixelFormat.Rgba8, Data = ByteString.Empty }; break;
            case "unknown reference blob": r.Inputs["reference"] = new Image { Width = 8, Height = 8, Format = Protocol.V1.PixelFormat.Rgba8, BlobId = "blob-nope" }; break;
            case "point left of the layer": r.Parameters.Fields["x"] = Value.ForNumber(9); break;
            case "point below the layer": r.Parameters.Fields["y"] = Value.ForNumber(68); break;
            case "box wider than the layer": r.Parameters.Fields["width"] = Value.ForNumber(65); break;
            case "point missing": r.Parameters.Fields.Remove("y"); break;
            case "upscale of a selection": r.Parameters.Fields["scale"] = Value.ForNumber(2); r.Mask = WireRequests.Rectangle(20, 30, 8, 8); break;
            case "upscale over the limits": r.Parameters.Fields["scale"] = Value.ForNumber(4); break;
            case "engine refuses an input": r.Inputs["hints"] = WireRequests.Layer(new RgbaPicture(64, 48, Enumerable.Range(0, 64 * 48).SelectMany(_ => new byte[] { 255, 0, 0, 255 }).ToArray()), 10, 20); break;
            default: throw new ArgumentOutOfRangeException(nameof(change), change, null);
        }
    }

    /// <summary>
    /// Declares every contract addition and answers: its image (repeated pixels when upscaling) and
    /// the hints' alpha as a mask; refuses all-red hints the way a real engine refuses an input.
    /// </summary>
    private sealed class ProbeEngine : IEngine
    {
        private int runs;

        public EngineRequest? Last { get; private set; }

        public int Runs => Volatile.Read(ref runs);

        public EngineDescriptor Describe() => new("probe", "1.0.0", "records what it is given",
        [
            new OperationDescriptor("probe", "test operation",
            [
                new ParameterDescriptor("x", ParameterKind.Number, "a column", 0.0, Axis: CanvasAxis.X, Required: true),
                new ParameterDescriptor("y", ParameterKind.Number, "a row", 0.0, Axis: CanvasAxis.Y, Required: true),
                new ParameterDescriptor("width", ParameterKind.Number, "a width", 0.0, 0, Axis: CanvasAxis.Width),
                new ParameterDescriptor("scale", ParameterKind.Integer, "how many times larger", 1.0, 1, 4),
            ],
            Inputs: [new InputDescriptor("hints", "marks"), new InputDescriptor("reference", "a picture", CanvasAligned: false)],
            OutputScaleParameter: "scale"),
            new OperationDescriptor("needs", "needs an object", [], Inputs: [new InputDescriptor("object", "the object", Required: true)]),
        ], ["cpu"]);

        public Task<EngineOutput> RunAsync(EngineRequest request, IProgress<EngineProgress> progress, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref runs);
            Last = request;
            var hints = request.Input("hints");
            if (hints is not null && Enumerable.Range(0, hints.Width * hints.Height).All(p => hints.Pixels[p * 4] == 255 && hints.Pixels[p * 4 + 1] == 0))
                throw new EngineInputException("inputs.hints", "the probe refuses hints that are all red");
            int k = request.Parameters.ContainsKey("scale") ? request.Integer("scale") : 1;
            var image = request.Image;
            var pixels = new byte[image.Pixels.Length * k * k];
            for (int y = 0; y < image.Height * k; y++)
                for (int x = 0; x < image.Width * k; x++)
                    Buffer.BlockCopy(image.Pixels, ((y / k * image.Width) + (x / k)) * 4, pixels, ((y * image.Width * k) + x) * 4, 4);
            EngineMask? mask = hints is null ? null
                : new EngineMask(hints.Width, hints.Height, Enumerable.Range(0, hints.Width * hints.Height).Select(p => hints.Pixels[p * 4 + 3]).ToArray());
            return Task.FromResult(new EngineOutput(new EngineImage(image.Width * k, image.Height * k, pixels), "cpu", Mask: mask));
        }

        public void Dispose()
        {
        }
    }
}
