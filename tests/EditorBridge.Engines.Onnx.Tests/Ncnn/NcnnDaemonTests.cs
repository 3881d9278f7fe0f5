using EditorBridge.Imaging;
using EditorBridge.ModelStore;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace EditorBridge.Engines.Onnx.Tests.Ncnn;

/// <summary>Trained ncnn models, imported by the real CLI, serving restore through the real daemon.</summary>
public sealed class NcnnDaemonTests(NcnnDaemon fixture) : IClassFixture<NcnnDaemon>
{
    private RunningDaemon Daemon => fixture.Daemon;

    public static TheoryData<string, int> Served => new()
    {
        { "realesr-animevideov3-x2", 2 },
        { "realesr-animevideov3-x4", 4 },
        { "realesrgan-x4plus-anime", 4 },
        { "realcugan-up2x-conservative", 2 },
        { "waifu2x-cunet-noise1_scale2x", 2 },
        { "waifu2x-cunet-noise2", 1 },
    };

    [Fact]
    public void The_cli_installs_each_family_as_an_upscaler_with_its_licence_and_the_shipped_files()
    {
        Assert.All(fixture.ImportLines, line => Assert.Matches("^installed [a-z0-9._-]+: upscale, 3 files, .* serves restore; identity [0-9a-f]{64}", line));
        var esrgan = ModelManifest.Load(Path.Combine(fixture.StorePath, "realesr-animevideov3-x4"));
        Assert.Equal(("BSD-3-Clause", 4, 1), (esrgan.Licence.Id, esrgan.Signature!.Scale, esrgan.Signature.SizeMultiple));
        Assert.Contains(esrgan.Files, f => f.Path == "ncnn/realesr-animevideov3-x4.bin" && f.Sha256 == Hash("real-esrgan/models/realesr-animevideov3-x4.bin"));
        var cugan = ModelManifest.Load(Path.Combine(fixture.StorePath, "realcugan-up2x-conservative"));
        Assert.Equal(("MIT", 2, 2), (cugan.Licence.Id, cugan.Signature!.Scale, cugan.Signature.SizeMultiple));
        Assert.Contains("border 18 px (mirrored)", cugan.Description);
    }

    [Theory]
    [MemberData(nameof(Served))]
    public async Task Each_model_restores_a_real_photo_and_provenance_names_it_and_its_hash(string model, int scale)
    {
        var picture = TestPictures.Load("astronaut.png").Crop(200, 60, 44, 36);

        var result = await Daemon.Client.RunJobAsync(Restore(picture, model, scale));

        var manifest = ModelManifest.Load(Path.Combine(fixture.StorePath, model));
        Assert.Equal(("onnx", model, manifest.Identity()), (result.Provenance.Engine, result.Provenance.Model, result.Provenance.ModelHash));
        Assert.Equal((44 * scale, 36 * scale), (result.Layer.Width, result.Layer.Height));
        // the answer, averaged back down, is the picture it was given (a wrong channel order or value range is not)
        var down = BoxDown(result.Layer.Data.ToByteArray(), 44 * scale, 36 * scale, scale);
        var psnr = QualityMetrics.Psnr(picture.Rgba, down);
        Assert.True(psnr > 27, $"{model}: {psnr:F1} dB against the input");
    }

    [Fact]
    public async Task A_denoiser_with_a_selection_leaves_every_unselected_pixel_unchanged()
    {
        var picture = TestPictures.Load("chelsea.png").Crop(100, 40, 64, 48);
        var request = Restore(picture, "waifu2x-cunet-noise2", 1);
        request.Mask = WireRequests.Rectangle(20, 12, 24, 20);
        request.Geometry = new GeometryOptions { GrowPixels = 0, FeatherPixels = 0 };

        var result = await Daemon.Client.RunJobAsync(request);

        var layer = result.Layer;
        var pixels = layer.Data.ToByteArray();
        int changedInside = 0;
        for (int y = 0; y < layer.Height; y++)
            for (int x = 0; x < layer.Width; x++)
            {
                int cx = layer.OffsetX + x, cy = layer.OffsetY + y;
                var got = pixels.AsSpan((y * layer.Width + x) * 4, 4);
                var original = picture.Rgba.AsSpan((cy * picture.Width + cx) * 4, 4);
                bool inside = cx >= 20 && cx < 44 && cy >= 12 && cy < 32;
                if (!inside)
                    Assert.True(got.SequenceEqual(original), $"pixel ({cx},{cy}) outside the selection changed");
                else if (!got.SequenceEqual(original))
                    changedInside++;
            }

        Assert.True(changedInside > 24 * 20 / 2, $"only {changedInside} pixels inside the selection changed");
        Assert.Equal("waifu2x-cunet-noise2", result.Provenance.Model);
    }

    [Fact]
    public async Task Cancelling_mid_job_ends_it_cancelled_and_the_engine_runs_no_further_tile()
    {
        // The engine is held in its report of the first of several tiles until the cancel reaches it:
        // the cancel lands mid-job whatever the machine's load (a job left to run finished first on a
        // fast, lightly loaded machine). What is checked is the engine's own run, not the job's end:
        // the daemon ends a cancelled job at once even when the engine ignores its token.
        var hold = fixture.Gate.HoldNextJobAt(p => p.Total > 1 && p.Step == 1);
        var picture = TestPictures.Load("astronaut.png").Crop(0, 0, 480, 320);
        var run = Daemon.Client.RunJobAsync(Restore(picture, "realesr-animevideov3-x4", 4));
        var heldAt = await hold.Reached.WaitAsync(TimeSpan.FromMinutes(2));
        var jobId = (await Daemon.Client.ListJobsAsync()).Jobs.Single(j => j.State == JobState.Running).JobId;

        await Daemon.Client.CancelJobAsync(jobId);

        var e = await Assert.ThrowsAsync<RpcException>(() => run);
        Assert.Equal(StatusCode.Cancelled, e.StatusCode);
        var ended = await hold.EngineEnded.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.IsAssignableFrom<OperationCanceledException>(ended);
        Assert.Equal(heldAt, hold.Reports[^1]);
        Assert.True(heldAt.Step < heldAt.Total, $"held at tile {heldAt.Step} of {heldAt.Total}");
    }

    [Fact]
    public async Task With_no_model_named_restore_at_a_scale_is_served_by_an_installed_upscaler_of_that_factor()
    {
        var picture = TestPictures.Load("coffee.png").Crop(10, 10, 24, 24);

        var four = await Daemon.Client.RunJobAsync(Restore(picture, "", 4));
        var two = await Daemon.Client.RunJobAsync(Restore(picture, "", 2));

        Assert.Equal("onnx", four.Provenance.Engine);
        Assert.Equal(4, ModelManifest.Load(Path.Combine(fixture.StorePath, four.Provenance.Model)).Signature!.Scale);
        Assert.Equal(2, ModelManifest.Load(Path.Combine(fixture.StorePath, two.Provenance.Model)).Signature!.Scale);
    }

    [Fact]
    public async Task An_ncnn_model_with_an_unknown_layer_type_is_refused_naming_the_layer()
    {
        using var folder = new TempDirectory("ncnn-odd");
        var source = NcnnPackage.Param("real-esrgan/models/realesr-animevideov3-x2.param");
        var param = Path.Combine(folder.Path, "odd.param");
        File.WriteAllText(param, File.ReadAllText(source).Replace("PReLU                    PRelu_3 ", "Softmax                  PRelu_3 ", StringComparison.Ordinal));
        File.Copy(Path.ChangeExtension(source, ".bin"), Path.Combine(folder.Path, "odd.bin"));

        var e = await Assert.ThrowsAsync<RpcException>(() => Daemon.Client.Raw.ImportModelAsync(new ImportModelRequest { Path = param }).ResponseAsync);
        var (code, output) = await fixture.CliAsync("models", "import", param);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("layer 'PRelu_3' is of type Softmax, which the ncnn importer does not convert", e.Status.Detail);
        Assert.NotEqual(0, code);
        Assert.Contains("layer 'PRelu_3' is of type Softmax", output);
        Assert.False(Directory.Exists(Path.Combine(fixture.StorePath, "odd")));
    }

    private static JobRequest Restore(RgbaPicture picture, string model, int scale) => new()
    {
        Operation = "restore",
        Model = model,
        Layer = WireRequests.Layer(picture),
        Parameters = new Struct { Fields = { ["scale"] = Value.ForNumber(scale) } },
    };

    private static string Hash(string relative)
    {
        using var stream = File.OpenRead(NcnnPackage.Param(relative));
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    private static byte[] BoxDown(byte[] rgba, int width, int height, int step)
    {
        int w = width / step, h = height / step;
        var result = new byte[w * h * 4];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 4; c++)
                {
                    int sum = 0;
                    for (int dy = 0; dy < step; dy++)
                        for (int dx = 0; dx < step; dx++)
                            sum += rgba[((y * step + dy) * width + x * step + dx) * 4 + c];
                    result[(y * w + x) * 4 + c] = (byte)((sum + step * step / 2) / (step * step));
                }

        return result;
    }
}
