using EditorBridge.Imaging;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace EditorBridge.EndToEnd.Tests;

/// <summary>
/// Every operation of the classic engine through the real daemon: what the selection rules promise
/// (pixels outside it come back bit for bit, a 1×1 selection and one covering the whole layer
/// work or are refused clearly), and the bad input every operation must refuse by name.
/// </summary>
public sealed class ClassicOperationsTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const int Side = 96;
    private RunningDaemon daemon = null!;

    public async Task InitializeAsync() => daemon = await RunningDaemon.StartAsync();

    public async Task DisposeAsync() => await daemon.DisposeAsync();

    public static TheoryData<string> Operations => new() { "fill", "restore", "stylize", "compose", "segment", "colorize" };

    /// <summary>The picture each operation works on: a photo crop, grey for colorize.</summary>
    private static RgbaPicture Picture(string operation)
    {
        var picture = TestPictures.Load("astronaut.png").Crop(200, 40, Side, Side);
        if (operation != "colorize")
            return picture;
        var grey = (byte[])picture.Rgba.Clone();
        for (int p = 0; p < grey.Length; p += 4)
            grey[p] = grey[p + 1] = grey[p + 2] = (byte)((grey[p] * 299 + grey[p + 1] * 587 + grey[p + 2] * 114) / 1000);
        return picture with { Rgba = grey };
    }

    /// <summary>A valid request for <paramref name="operation"/> on <paramref name="picture"/> (no selection).</summary>
    private static JobRequest Request(string operation, RgbaPicture picture)
    {
        var request = new JobRequest { Operation = operation, Layer = WireRequests.Layer(picture), Seed = 5, Parameters = new Struct() };
        switch (operation)
        {
            case "restore":
                request.Parameters.Fields["method"] = Value.ForString("denoise");
                request.Parameters.Fields["noise_sigma"] = Value.ForNumber(10);
                break;
            case "stylize":
                request.Parameters.Fields["preset"] = Value.ForString("cartoon");
                break;
            case "compose":
                request.Inputs["object"] = PastedObject();
                break;
            case "segment":
                request.Parameters.Fields["x"] = Value.ForNumber(48);
                request.Parameters.Fields["y"] = Value.ForNumber(48);
                break;
            case "colorize":
                request.Inputs["hints"] = Hints(TestPictures.Load("astronaut.png").Crop(200, 40, Side, Side));
                break;
        }

        return request;
    }

    /// <summary>The colour picture's true colours on every 7th pixel of every 7th row, transparent elsewhere.</summary>
    private static Image Hints(RgbaPicture picture)
    {
        var hints = new byte[picture.Rgba.Length];
        for (int y = 0; y < Side; y += 7)
            for (int x = 0; x < Side; x += 7)
                Buffer.BlockCopy(picture.Rgba, (y * Side + x) * 4, hints, (y * Side + x) * 4, 4);
        return WireRequests.Layer(new RgbaPicture(Side, Side, hints));
    }

    /// <summary>The cat's face in a disc of radius 30 at the layer's middle, transparent around it.</summary>
    private static Image PastedObject()
    {
        var cat = TestPictures.Load("chelsea.png").Crop(150, 60, Side, Side);
        for (int y = 0; y < Side; y++)
            for (int x = 0; x < Side; x++)
                cat.Rgba[(y * Side + x) * 4 + 3] = (x - 48) * (x - 48) + (y - 48) * (y - 48) <= 900 ? (byte)255 : (byte)0;
        return WireRequests.Layer(cat);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Pixels_outside_a_soft_selection_come_back_bit_for_bit(string operation)
    {
        var picture = Picture(operation);
        var request = Request(operation, picture);
        // A disc of radius 20 at (48, 48) with a soft edge, in a 60x60 mask at (18, 18).
        var coverage = new byte[60 * 60];
        for (int y = 0; y < 60; y++)
            for (int x = 0; x < 60; x++)
                coverage[y * 60 + x] = (byte)Math.Clamp((22 - Math.Sqrt((x - 30) * (x - 30) + (y - 30) * (y - 30))) * 64, 0, 255);
        request.Mask = new Mask { Width = 60, Height = 60, OffsetX = 18, OffsetY = 18, Coverage = ByteString.CopyFrom(coverage) };
        request.Geometry = new GeometryOptions { GrowPixels = 0, FeatherPixels = 3 };

        var result = await daemon.Client.RunJobAsync(request);

        var layer = result.Layer;
        Assert.Equal("classic", result.Provenance.Engine);
        var pixels = layer.Data.ToByteArray();
        int changed = 0;
        for (int y = 0; y < layer.Height; y++)
            for (int x = 0; x < layer.Width; x++)
            {
                int cx = layer.OffsetX + x, cy = layer.OffsetY + y;
                var got = pixels.AsSpan((y * layer.Width + x) * 4, 4);
                var original = picture.Rgba.AsSpan((cy * Side + cx) * 4, 4);
                if (coverage[(cy - 18) * 60 + cx - 18] == 0)
                    Assert.True(got.SequenceEqual(original), $"{operation} changed ({cx},{cy}) outside the selection");
                else if (!got.SequenceEqual(original))
                    changed++;
            }

        if (operation == "segment")
        {
            // segment changes no pixel: it answers a selection, inside the request's
            Assert.Equal(0, changed);
            var mask = result.Mask;
            var found = mask.Coverage.ToByteArray();
            int selected = 0;
            for (int y = 0; y < mask.Height; y++)
                for (int x = 0; x < mask.Width; x++)
                {
                    int cx = mask.OffsetX + x - 18, cy = mask.OffsetY + y - 18;
                    bool inside = cx >= 0 && cy >= 0 && cx < 60 && cy < 60 && coverage[cy * 60 + cx] != 0;
                    if (!inside)
                        Assert.Equal(0, found[y * mask.Width + x]);
                    selected += found[y * mask.Width + x] >= 128 ? 1 : 0;
                }

            Assert.True(selected > 50, $"segment selected only {selected} pixels");
            return;
        }

        Assert.True(changed > 100, $"{operation} changed only {changed} pixels inside the selection");
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task A_one_pixel_selection_changes_at_most_that_pixel(string operation)
    {
        var picture = Picture(operation);
        var request = Request(operation, picture);
        request.Mask = WireRequests.Rectangle(40, 50, 1, 1);
        request.Geometry = new GeometryOptions { GrowPixels = 0, FeatherPixels = 0 };
        if (operation == "segment")
        {
            request.Parameters.Fields["x"] = Value.ForNumber(40);
            request.Parameters.Fields["y"] = Value.ForNumber(50);
        }

        var result = await daemon.Client.RunJobAsync(request);

        Assert.Equal((40, 50, 1, 1), (result.Layer.OffsetX, result.Layer.OffsetY, result.Layer.Width, result.Layer.Height));
        Assert.Equal(picture.Rgba[(50 * Side + 40) * 4 + 3], result.Layer.Data[3]);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task A_selection_covering_the_whole_layer_works_or_is_refused_by_name(string operation)
    {
        var picture = Picture(operation);
        var request = Request(operation, picture);
        request.Mask = WireRequests.Rectangle(0, 0, Side, Side);

        if (operation == "fill")
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.RunJobAsync(request));
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            Assert.Contains("mask: the selection covers the whole layer", e.Status.Detail);
            return;
        }

        var result = await daemon.Client.RunJobAsync(request);
        Assert.Equal((0, 0, Side, Side), (result.Layer.OffsetX, result.Layer.OffsetY, result.Layer.Width, result.Layer.Height));
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task An_all_transparent_layer_is_refused_by_name(string operation)
    {
        var request = Request(operation, new RgbaPicture(Side, Side, new byte[Side * Side * 4]));
        request.Mask = WireRequests.Rectangle(30, 30, 20, 20);

        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.RunJobAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("layer: ", e.Status.Detail);
        Assert.Contains("fully transparent", e.Status.Detail);
    }

    [Fact]
    public async Task A_hint_layer_larger_than_the_layer_is_refused_by_name()
    {
        var request = Request("colorize", Picture("colorize"));
        request.Inputs["hints"] = WireRequests.Layer(new RgbaPicture(Side + 1, Side, new byte[(Side + 1) * Side * 4]));

        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.RunJobAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("inputs.hints: bounds 97x96@(0,0) reach outside the layer 96x96@(0,0)", e.Status.Detail);
    }

    [Fact]
    public async Task Colorize_brings_back_the_colours_of_a_grey_photo_from_hints()
    {
        var original = TestPictures.Load("astronaut.png").Crop(200, 40, Side, Side);
        var request = Request("colorize", Picture("colorize"));

        var result = await daemon.Client.RunJobAsync(request);

        double psnr = QualityMetrics.Psnr(original.Rgba, result.Layer.Data.ToByteArray());
        double grey = QualityMetrics.Psnr(original.Rgba, Picture("colorize").Rgba);
        output.WriteLine($"colorized {psnr:F1} dB, grey {grey:F1} dB");
        // hints on 2 % of the pixels (a 7-pixel grid): measured 37.5 dB here, against 20.4 dB for the grey picture
        Assert.True(psnr > grey + 6, $"colorized {psnr:F1} dB, grey {grey:F1} dB");
        Assert.Equal("photo", result.Provenance.Parameters.Fields["mode"].StringValue);
    }

    [Fact]
    public async Task Compose_without_its_object_layer_is_refused_before_queueing()
    {
        var request = Request("compose", Picture("compose"));
        request.Inputs.Clear();

        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.RunJobAsync(request));

        Assert.Contains("inputs.object: missing; 'compose' needs it", e.Status.Detail);
    }

    [Fact]
    public async Task Segment_answers_a_mask_in_canvas_coordinates()
    {
        // The layer sits at (100, -20); the click is on the astronaut's white suit at canvas (148, 28).
        var picture = Picture("segment");
        var request = Request("segment", picture);
        request.Layer.OffsetX = 100;
        request.Layer.OffsetY = -20;
        request.Parameters.Fields["x"] = Value.ForNumber(148);
        request.Parameters.Fields["y"] = Value.ForNumber(28);

        var result = await daemon.Client.RunJobAsync(request);

        var mask = result.Mask;
        Assert.Equal((100, -20, Side, Side), (mask.OffsetX, mask.OffsetY, mask.Width, mask.Height));
        Assert.Equal(255, mask.Coverage[(48 * Side) + 48]);
        Assert.Equal(picture.Rgba, result.Layer.Data.ToByteArray());
    }

    [Fact]
    public async Task Segment_returns_a_layer_wider_than_the_working_size_unchanged()
    {
        // 600×400: wider than the 512 px the engine works at, so its work image is a scaled copy
        var picture = TestPictures.Load("coffee.png");
        Assert.True(picture.Width > 512, "the picture must be wider than the working size");
        var request = Request("segment", picture);
        request.Parameters.Fields["x"] = Value.ForNumber(300);
        request.Parameters.Fields["y"] = Value.ForNumber(200);

        var whole = await daemon.Client.RunJobAsync(request);
        request.Mask = WireRequests.Rectangle(150, 100, 300, 200);
        var selected = await daemon.Client.RunJobAsync(request);

        Assert.Equal((0, 0, picture.Width, picture.Height), (whole.Layer.OffsetX, whole.Layer.OffsetY, whole.Layer.Width, whole.Layer.Height));
        Assert.Equal(picture.Rgba, whole.Layer.Data.ToByteArray());
        Assert.Equal((picture.Width, picture.Height), (whole.Mask.Width, whole.Mask.Height));
        Assert.Contains(whole.Mask.Coverage, c => c > 0);
        var bounds = selected.Layer;
        Assert.Equal(picture.Crop(bounds.OffsetX, bounds.OffsetY, bounds.Width, bounds.Height).Rgba, bounds.Data.ToByteArray());
    }

    [Fact]
    public async Task Restore_enlarges_a_whole_layer_and_refuses_to_enlarge_a_selection()
    {
        var picture = Picture("restore");
        var request = Request("restore", picture);
        request.Parameters.Fields["method"] = Value.ForString("upscale");
        request.Parameters.Fields["scale"] = Value.ForNumber(2);
        request.Layer.OffsetX = -5;
        request.Layer.OffsetY = 7;

        var result = await daemon.Client.RunJobAsync(request);

        Assert.Equal((-10, 14, 2 * Side, 2 * Side), (result.Layer.OffsetX, result.Layer.OffsetY, result.Layer.Width, result.Layer.Height));
        request.Mask = WireRequests.Rectangle(0, 10, 8, 8);
        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.RunJobAsync(request));
        Assert.Contains("mask: 'restore' with scale=2 makes the whole layer 2× larger", e.Status.Detail);
    }

    public static TheoryData<string, string, Value, string> BadParameters => new()
    {
        { "restore", "method", Value.ForString("sharpen"), "parameters.method: 'sharpen' is not one of: auto, denoise, deblur, upscale" },
        { "restore", "noise_sigma", Value.ForNumber(-1), "parameters.noise_sigma: -1 is outside 0..100" },
        { "restore", "scale", Value.ForNumber(8), "parameters.scale: 8 is outside 1..4" },
        { "restore", "scale", Value.ForNumber(1), "parameters.scale: upscale needs scale 2, 3 or 4" },
        { "stylize", "preset", Value.ForString("sketchy"), "parameters.preset: 'sketchy' is not one of: auto, oil, watercolour, cartoon, pencil, reference" },
        { "stylize", "strength", Value.ForNumber(1.5), "parameters.strength: 1.5 is outside 0..1" },
        { "stylize", "preset", Value.ForString("reference"), "inputs.reference: missing; the 'reference' preset needs a reference picture" },
        { "compose", "method", Value.ForString("glue"), "parameters.method: 'glue' is not one of: seamless, mixed, paste" },
        { "compose", "colour_match", Value.ForNumber(-0.1), "parameters.colour_match: -0.1 is outside 0..1" },
        { "segment", "x", Value.ForNumber(Side), "parameters.x: 96 is not a column of the layer" },
        { "segment", "height", Value.ForNumber(-4), "parameters.height: -4 is outside 0.." },
        { "segment", "iterations", Value.ForNumber(2.5), "parameters.iterations: 2.5 is not a whole number" },
        { "colorize", "mode", Value.ForString("sepia"), "parameters.mode: 'sepia' is not one of: auto, line_art, photo" },
        { "colorize", "ink_threshold", Value.ForNumber(0), "parameters.ink_threshold: 0 is outside 0.05..1" },
        { "colorize", "gap", Value.ForNumber(1.5), "parameters.gap: 1.5 is not a whole number" },
    };

    [Theory]
    [MemberData(nameof(BadParameters))]
    public async Task Bad_parameters_are_refused_by_name(string operation, string name, Value value, string message)
    {
        var request = Request(operation, Picture(operation));
        if (message.Contains("upscale needs"))
            request.Parameters.Fields["method"] = Value.ForString("upscale");
        request.Parameters.Fields[name] = value;

        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.RunJobAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains(message, e.Status.Detail);
    }
}
