using EditorBridge.Imaging;
using EditorBridge.Inference;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.ML.OnnxRuntime;

namespace EditorBridge.Engines.Onnx.Tests;

/// <summary>
/// Every onnx kind through the real daemon, its model store holding the tiny models: the operation is
/// served by engine onnx (before classic), the provenance names the model and its hash and the provider
/// that ran, and pixels outside a selection come back bit for bit.
/// </summary>
public sealed class EndToEndTests(OnnxDaemon fixture) : IClassFixture<OnnxDaemon>
{
    private RunningDaemon Daemon => fixture.Daemon;

    private static JobRequest Request(string operation, RgbaPicture picture, string model = "", params (string Name, Value Value)[] parameters)
    {
        var request = new JobRequest { Operation = operation, Layer = WireRequests.Layer(picture), Seed = 1, Model = model, Parameters = new Struct() };
        foreach (var (name, value) in parameters)
            request.Parameters.Fields[name] = value;
        return request;
    }

    private void AssertServedBy(JobResult result, string model)
    {
        Assert.Equal("onnx", result.Provenance.Engine);
        Assert.Equal(model, result.Provenance.Model);
        Assert.Equal(fixture.Store.Manifests[model].Identity(), result.Provenance.ModelHash);
    }

    [Fact]
    public async Task GetInfo_lists_each_operation_with_its_installed_models_default_first()
    {
        var info = await Daemon.Client.GetInfoAsync();

        var onnx = Assert.Single(info.Engines, e => e.Name == "onnx");
        var models = onnx.Operations.ToDictionary(o => o.Name, o => o.Models.ToList());
        Assert.Equal([TinyStore.Lama], models["fill"]);
        Assert.Equal([TinyStore.Esrgan, TinyStore.Mismatched], models["restore"]);
        Assert.Equal([TinyStore.Colorizer], models["colorize"]);
        Assert.Equal([TinyStore.CoolStyle, TinyStore.Sepia], models["stylize"]);
        Assert.Equal([TinyStore.Segmenter], models["segment"]);
        Assert.Equal("scale", onnx.Operations.Single(o => o.Name == "restore").OutputScaleParameter);
        // the daemon asked for cuda first, but this CPU build's runtime has only the CPU provider
        Assert.Equal(["cpu"], onnx.Devices);
    }

    [Fact]
    public async Task Fill_with_lama_changes_only_the_selection_and_fills_it_from_its_surroundings()
    {
        var picture = Pictures.Photo();
        var request = Request("fill", picture);
        request.Mask = WireRequests.Rectangle(40, 36, 12, 10);
        request.Geometry = new GeometryOptions { GrowPixels = 0, FeatherPixels = 0 };

        var result = await Daemon.Client.RunJobAsync(request);

        AssertServedBy(result, TinyStore.Lama);
        Assert.Equal("cpu", result.Provenance.Device);
        var layer = result.Layer;
        var pixels = layer.Data.ToByteArray();
        int changed = 0;
        for (int y = 0; y < layer.Height; y++)
            for (int x = 0; x < layer.Width; x++)
            {
                int cx = layer.OffsetX + x, cy = layer.OffsetY + y;
                bool inside = cx >= 40 && cx < 52 && cy >= 36 && cy < 46;
                var got = pixels.AsSpan((y * layer.Width + x) * 4, 4);
                var original = picture.Rgba.AsSpan((cy * picture.Width + cx) * 4, 4);
                if (!inside)
                    Assert.True(got.SequenceEqual(original), $"fill changed ({cx},{cy}) outside the selection");
                else if (!got.SequenceEqual(original))
                    changed++;
            }

        Assert.True(changed > 60, $"fill changed only {changed} of 120 pixels inside the selection");
    }

    public static TheoryData<string> PictureOperations => new() { "fill", "restore", "colorize", "stylize" };

    [Theory]
    [MemberData(nameof(PictureOperations))]
    public async Task Pixels_outside_a_soft_selection_come_back_bit_for_bit(string operation)
    {
        var picture = operation == "colorize" ? Pictures.Grey(Pictures.Photo()) : Pictures.Photo();
        var request = Request(operation, picture, parameters: operation == "restore" ? [("scale", Value.ForNumber(1))] : []);
        var coverage = new byte[60 * 60];
        for (int y = 0; y < 60; y++)
            for (int x = 0; x < 60; x++)
                coverage[y * 60 + x] = (byte)Math.Clamp((22 - Math.Sqrt((x - 30) * (x - 30) + (y - 30) * (y - 30))) * 64, 0, 255);
        request.Mask = new Mask { Width = 60, Height = 60, OffsetX = 18, OffsetY = 18, Coverage = ByteString.CopyFrom(coverage) };
        request.Geometry = new GeometryOptions { GrowPixels = 0, FeatherPixels = 3 };

        var result = await Daemon.Client.RunJobAsync(request);

        Assert.Equal("onnx", result.Provenance.Engine);
        var layer = result.Layer;
        var pixels = layer.Data.ToByteArray();
        int changed = 0;
        for (int y = 0; y < layer.Height; y++)
            for (int x = 0; x < layer.Width; x++)
            {
                int cx = layer.OffsetX + x, cy = layer.OffsetY + y;
                var got = pixels.AsSpan((y * layer.Width + x) * 4, 4);
                var original = picture.Rgba.AsSpan((cy * picture.Width + cx) * 4, 4);
                if (cx < 18 || cy < 18 || cx >= 78 || cy >= 78 || coverage[(cy - 18) * 60 + cx - 18] == 0)
                    Assert.True(got.SequenceEqual(original), $"{operation} changed ({cx},{cy}) outside the selection");
                else if (!got.SequenceEqual(original))
                    changed++;
            }

        Assert.True(changed > 100, $"{operation} changed only {changed} pixels inside the selection");
    }

    [Fact]
    public async Task Restore_upscales_the_whole_layer_four_times_in_tiles_as_the_whole_image_model_would()
    {
        var picture = Pictures.Photo(80);
        var result = await Daemon.Client.RunJobAsync(Request("restore", picture, parameters: ("scale", Value.ForNumber(4))));

        AssertServedBy(result, TinyStore.Esrgan);
        Assert.Equal((320, 320), (result.Layer.Width, result.Layer.Height));
        var whole = WholeImageUpscale(picture);
        var got = result.Layer.Data.ToByteArray();
        int maximum = 0;
        for (int i = 0; i < got.Length; i++)
            maximum = Math.Max(maximum, Math.Abs(got[i] - whole[i]));
        Assert.True(maximum <= 1, $"tiled answer differs from the whole-image one by up to {maximum} levels");
    }

    [Fact]
    public async Task Restore_at_half_the_models_factor_averages_its_answer_down()
    {
        var picture = Pictures.Photo(40);
        var result = await Daemon.Client.RunJobAsync(Request("restore", picture, parameters: ("scale", Value.ForNumber(2))));

        Assert.Equal((80, 80), (result.Layer.Width, result.Layer.Height));
        var e = await Assert.ThrowsAsync<RpcException>(() => Daemon.Client.RunJobAsync(Request("restore", picture, parameters: ("scale", Value.ForNumber(3)))));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("parameters.scale", e.Status.Detail);
        Assert.Contains("1, 2, 4", e.Status.Detail);
    }

    [Fact]
    public async Task Colorize_keeps_the_lightness_and_adds_the_models_colour()
    {
        var grey = Pictures.Grey(Pictures.Photo(64));

        var result = await Daemon.Client.RunJobAsync(Request("colorize", grey));

        AssertServedBy(result, TinyStore.Colorizer);
        var got = result.Layer.Data.ToByteArray();
        double chroma = 0;
        for (int p = 0; p < got.Length; p += 4)
        {
            var before = CieLab.FromRgb(grey.Rgba[p], grey.Rgba[p + 1], grey.Rgba[p + 2]);
            var after = CieLab.FromRgb(got[p], got[p + 1], got[p + 2]);
            // a colour out of the sRGB gamut is clipped, which moves its lightness: check the others
            bool clipped = got[p] is 0 or 255 || got[p + 1] is 0 or 255 || got[p + 2] is 0 or 255;
            Assert.True(clipped || Math.Abs(before.L - after.L) < 1, $"lightness {before.L:0.0} became {after.L:0.0}");
            chroma += Math.Sqrt(after.A * after.A + after.B * after.B);
            Assert.Equal(grey.Rgba[p + 3], got[p + 3]);
        }

        Assert.True(chroma / (got.Length / 4) > 10, $"mean chroma {chroma / (got.Length / 4):0.0}: no colour added");
    }

    [Fact]
    public async Task Stylize_paints_with_the_style_chosen_by_parameter_or_by_model()
    {
        var picture = Pictures.Photo(64);

        var cool = await Daemon.Client.RunJobAsync(Request("stylize", picture, parameters: ("style", Value.ForString(TinyStore.CoolStyle))));
        var sepia = await Daemon.Client.RunJobAsync(Request("stylize", picture, TinyStore.Sepia));

        AssertServedBy(cool, TinyStore.CoolStyle);
        AssertServedBy(sepia, TinyStore.Sepia);
        Assert.Equal(TinyStore.Sepia, sepia.Provenance.Parameters.Fields["style"].StringValue);
        Assert.True(QualityMetrics.Psnr(cool.Layer.Data.ToByteArray(), sepia.Layer.Data.ToByteArray()) < 30, "two styles gave the same picture");
        Assert.True(QualityMetrics.Psnr(picture.Rgba, sepia.Layer.Data.ToByteArray()) < 30, "sepia left the picture as it was");
    }

    [Fact]
    public async Task Segment_selects_the_subject_under_a_click_and_refuses_a_click_on_background()
    {
        var picture = Pictures.Disc(120, 60, 50, 25);

        var result = await Daemon.Client.RunJobAsync(Request("segment", picture, parameters: [("x", Value.ForNumber(62)), ("y", Value.ForNumber(48))]));

        AssertServedBy(result, TinyStore.Segmenter);
        Assert.Equal(picture.Rgba, result.Layer.Data.ToByteArray());
        var mask = result.Mask;
        var coverage = mask.Coverage.ToByteArray();
        int agree = 0, total = 120 * 120;
        for (int y = 0; y < 120; y++)
            for (int x = 0; x < 120; x++)
            {
                int mx = x - mask.OffsetX, my = y - mask.OffsetY;
                bool selected = mx >= 0 && my >= 0 && mx < mask.Width && my < mask.Height && coverage[my * mask.Width + mx] >= 128;
                bool disc = (x - 60) * (x - 60) + (y - 50) * (y - 50) <= 625;
                agree += selected == disc ? 1 : 0;
            }

        Assert.True(agree > total * 0.97, $"the mask agrees with the disc on {agree} of {total} pixels");
        var e = await Assert.ThrowsAsync<RpcException>(() => Daemon.Client.RunJobAsync(Request("segment", picture, parameters: [("x", Value.ForNumber(5)), ("y", Value.ForNumber(5))])));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("parameters.x", e.Status.Detail);
        Assert.Contains(TinyStore.Segmenter, e.Status.Detail);
    }

    [Fact]
    public async Task Segment_with_a_box_selects_only_the_subject_inside_it()
    {
        var picture = Pictures.Disc(120, 60, 50, 25);

        // the box covers the disc's left half and some ground
        var result = await Daemon.Client.RunJobAsync(Request("segment", picture, parameters: [("x", Value.ForNumber(20)), ("y", Value.ForNumber(20)), ("width", Value.ForNumber(40)), ("height", Value.ForNumber(60))]));

        var mask = result.Mask;
        var coverage = mask.Coverage.ToByteArray();
        int wrong = 0;
        for (int y = 0; y < 120; y++)
            for (int x = 0; x < 120; x++)
            {
                int mx = x - mask.OffsetX, my = y - mask.OffsetY;
                bool selected = mx >= 0 && my >= 0 && mx < mask.Width && my < mask.Height && coverage[my * mask.Width + mx] >= 128;
                bool expected = x >= 20 && x < 60 && y >= 20 && y < 80 && (x - 60) * (x - 60) + (y - 50) * (y - 50) <= 625;
                wrong += selected != expected ? 1 : 0;
            }

        Assert.True(wrong < 60, $"{wrong} pixels selected wrongly (the disc's left half inside the box is expected)");
    }

    [Fact]
    public async Task A_model_of_the_wrong_kind_for_the_operation_is_refused_naming_it()
    {
        var request = Request("fill", Pictures.Photo(), TinyStore.Esrgan);
        request.Mask = WireRequests.Rectangle(40, 36, 12, 10);

        var e = await Assert.ThrowsAsync<RpcException>(() => Daemon.Client.RunJobAsync(request));

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Contains($"'{TinyStore.Esrgan}'", e.Status.Detail);
        Assert.Contains(TinyStore.Lama, e.Status.Detail);
    }

    [Fact]
    public async Task A_model_whose_graph_does_not_match_its_signature_is_refused_naming_model_and_tensor()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Daemon.Client.RunJobAsync(Request("restore", Pictures.Photo(32), TinyStore.Mismatched, ("scale", Value.ForNumber(4)))));

        Assert.True(e.StatusCode == StatusCode.InvalidArgument, e.Status.Detail);
        Assert.StartsWith("model: ", e.Status.Detail);
        Assert.Contains($"model '{TinyStore.Mismatched}'", e.Status.Detail);
        Assert.Contains("no input 'image'", e.Status.Detail);
    }

    [Fact]
    public async Task With_providers_cuda_then_cpu_a_build_without_cuda_reports_cpu()
    {
        var result = await Daemon.Client.RunJobAsync(Request("stylize", Pictures.Photo(32)));

        var cudaHere = OnnxRuntimeEnvironment.AvailableProviders().Contains("CUDAExecutionProvider");
        Assert.Equal(cudaHere ? "cuda:0" : "cpu", result.Provenance.Device);
    }

    /// <summary>The tiny ×4 model run once on the whole picture, in process.</summary>
    private byte[] WholeImageUpscale(RgbaPicture picture)
    {
        var manifest = fixture.Store.Manifests[TinyStore.Esrgan];
        using var opened = SessionOpener.Open(Path.Combine(fixture.Store.Folder(TinyStore.Esrgan), manifest.Signature!.File), [ExecutionProvider.Cpu]);
        var session = opened.Session;
        var input = manifest.Signature.Inputs[0];
        using var results = ModelCall.Run(session, [(input.Name, ImageTensors.FromRgba(picture.Rgba, picture.Width, picture.Height, input))], [manifest.Signature.Outputs[0].Name], CancellationToken.None);
        return ImageTensors.ToRgba(ImageTensors.ToPlanar(results.First(), manifest.Signature.Outputs[0]), ReadOnlySpan<byte>.Empty);
    }
}
