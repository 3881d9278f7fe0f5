using EditorBridge.Engines.Diffusion.Tests.InProcess;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using static EditorBridge.Engines.Diffusion.Tests.ThroughDaemon.WireJobs;

namespace EditorBridge.Engines.Diffusion.Tests.ThroughDaemon;

/// <summary>Every diffusion operation end to end: gRPC request → daemon → diffusion plugin on the tiny models → result.</summary>
public sealed class DaemonJobTests(DiffusionDaemon fixture) : IClassFixture<DiffusionDaemon>
{
    private RunningDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task GetInfo_lists_the_diffusion_operations_with_their_models()
    {
        var info = await Daemon.Client.GetInfoAsync();

        var engine = info.Engines.Single(e => e.Name == "diffusion");
        Assert.Equal(["colorize", "compose", "fill", "generate", "restore", "stylize"], engine.Operations.Select(o => o.Name).Order());
        Assert.Equal([TinyModelStore.Plain, TinyModelStore.Inpainting], engine.Operations.Single(o => o.Name == "generate").Models);
        Assert.Equal([TinyModelStore.Plain], engine.Operations.Single(o => o.Name == "colorize").Models);
        Assert.Equal(["cpu"], engine.Devices);
        Assert.Empty(info.PluginProblems);
    }

    [Fact]
    public async Task Generate_gives_the_same_pixels_for_the_same_request_and_names_model_and_device()
    {
        var picture = Picture();
        var events = new Events();

        var first = await Daemon.Client.RunJobAsync(Job("generate", picture, parameters: ("steps", Value.ForNumber(8))), events);
        var second = await Daemon.Client.RunJobAsync(Job("generate", picture, parameters: ("steps", Value.ForNumber(8))));
        var otherSeed = await Daemon.Client.RunJobAsync(Job("generate", picture, seed: 12, parameters: ("steps", Value.ForNumber(8))));

        Assert.Equal(first.Layer.Data, second.Layer.Data);
        Assert.NotEqual(first.Layer.Data, otherSeed.Layer.Data);
        var p = first.Provenance;
        Assert.Equal(("generate", "diffusion", "cpu", TinyModelStore.Plain), (p.Operation, p.Engine, p.Device, p.Model));
        Assert.Equal(EditorBridge.ModelStore.ModelManifest.Load(fixture.Store.ModelDirectory(TinyModelStore.Plain)).Identity(), p.ModelHash);
        Assert.Equal("dpmpp_2m_karras", p.Parameters.Fields["scheduler"].StringValue);
        Assert.Equal((96, 80), (first.Layer.Width, first.Layer.Height));
        // step progress (throttled by the daemon) and the latent previews of steps 4 and 8, besides the final one, reached the client
        Assert.Contains(events.All, e => e.EventCase == JobEvent.EventOneofCase.Progress && e.Progress.Stage == "generate");
        Assert.Equal(3, events.All.Count(e => e.EventCase == JobEvent.EventOneofCase.Preview));
    }

    [Theory]
    [InlineData(TinyModelStore.Inpainting)]
    [InlineData(TinyModelStore.Plain)]
    public async Task Fill_leaves_every_pixel_outside_the_selection_bit_for_bit(string model)
    {
        var picture = Picture();
        // a selection with cut-out corners and an empty border inside its bounding box
        var coverage = new byte[40 * 32];
        for (int y = 2; y < 30; y++)
        {
            for (int x = 2; x < 38; x++)
                coverage[y * 40 + x] = (x < 8 || x > 31) && (y < 8 || y > 23) ? (byte)0 : (byte)255;
        }

        var request = Job("fill", picture);
        request.Model = model;
        request.Mask = new Mask { Width = 40, Height = 32, OffsetX = 30, OffsetY = 24, Coverage = ByteString.CopyFrom(coverage) };
        request.Geometry = new GeometryOptions { GrowPixels = 0, FeatherPixels = 0 };

        var result = await Daemon.Client.RunJobAsync(request);

        var layer = result.Layer;
        var original = picture.Crop(layer.OffsetX, layer.OffsetY, layer.Width, layer.Height);
        var filled = layer.Data.ToByteArray();
        int unselected = 0, changed = 0;
        for (int y = 0; y < layer.Height; y++)
        {
            for (int x = 0; x < layer.Width; x++)
            {
                int maskX = layer.OffsetX + x - 30, maskY = layer.OffsetY + y - 24;
                bool selected = maskX is >= 0 and < 40 && maskY is >= 0 and < 32 && coverage[maskY * 40 + maskX] != 0;
                bool same = filled.AsSpan((y * layer.Width + x) * 4, 4).SequenceEqual(original.Rgba.AsSpan((y * layer.Width + x) * 4, 4));
                if (!selected)
                {
                    unselected++;
                    Assert.True(same, $"unselected pixel {x},{y} changed");
                }
                else if (!same)
                {
                    changed++;
                }
            }
        }

        Assert.True(unselected > 0, "the check saw no unselected pixel");
        Assert.True(changed > 300, $"only {changed} selected pixels changed");
        Assert.Equal(("diffusion", model), (result.Provenance.Engine, result.Provenance.Model));
    }

    [Theory]
    [InlineData("restore")]
    [InlineData("stylize")]
    [InlineData("colorize")]
    public async Task Whole_layer_operations_run_and_change_the_picture(string operation)
    {
        var picture = Picture();

        var result = await Daemon.Client.RunJobAsync(Job(operation, picture));

        Assert.Equal((96, 80), (result.Layer.Width, result.Layer.Height));
        Assert.NotEqual(picture.Rgba, result.Layer.Data.ToByteArray());
        Assert.Equal(("diffusion", TinyModelStore.Plain), (result.Provenance.Engine, result.Provenance.Model));
    }

    [Fact]
    public async Task Compose_blends_the_pasted_object_over_the_background()
    {
        var picture = Picture();
        var paste = TestPictures.Load("coffee.png").Crop(100, 100, 96, 80);
        for (int p = 0; p < 96 * 80; p++)
            paste.Rgba[p * 4 + 3] = p % 96 is >= 24 and < 72 && p / 96 is >= 20 and < 60 ? (byte)255 : (byte)0;
        var request = Job("compose", picture, parameters: ("seam_width", Value.ForNumber(8)));
        request.Inputs["object"] = WireRequests.Layer(paste);

        var result = await Daemon.Client.RunJobAsync(request);

        var pixels = result.Layer.Data.ToByteArray();
        int centre = (40 * 96 + 48) * 4, corner = (2 * 96 + 2) * 4;
        Assert.True(paste.Rgba.AsSpan(centre, 3).SequenceEqual(pixels.AsSpan(centre, 3)), "the object's middle is not the object");
        Assert.True(picture.Rgba.AsSpan(corner, 4).SequenceEqual(pixels.AsSpan(corner, 4)), "the background far from the seam changed");
    }

    [Fact]
    public async Task CancelJob_mid_steps_ends_the_job_cancelled_and_the_engine_runs_no_further_step()
    {
        // The engine is held in its report of step 2 of 20 until the cancel reaches it: the cancel
        // lands mid-steps whatever the machine's load (a job left to run could finish first). The
        // engine's own run is checked, not only the job's end: the daemon ends a cancelled job at
        // once even when the engine ignores its token.
        var hold = fixture.Gate.HoldNextJobAt(p => p.Stage == "generate" && p.Step == 2);
        var events = new Events();
        var request = Job("generate", Picture(), parameters: ("steps", Value.ForNumber(20)));
        var run = Daemon.Client.RunJobAsync(request, events);
        var heldAt = await hold.Reached.WaitAsync(TimeSpan.FromMinutes(2));
        var jobId = (await Daemon.Client.ListJobsAsync()).Jobs.Single(j => j.State == JobState.Running).JobId;

        await Daemon.Client.CancelJobAsync(jobId);

        var e = await Assert.ThrowsAsync<RpcException>(() => run);
        Assert.Equal(StatusCode.Cancelled, e.StatusCode);
        var job = (await Daemon.Client.ListJobsAsync()).Jobs.Single(j => j.JobId == jobId);
        Assert.Equal(JobState.Cancelled, job.State);
        var ended = await hold.EngineEnded.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.IsAssignableFrom<OperationCanceledException>(ended);
        Assert.Equal(heldAt, hold.Reports[^1]);
        Assert.True(heldAt.Step < heldAt.Total, $"held at step {heldAt.Step} of {heldAt.Total}");
    }

    [Fact]
    public async Task An_unknown_scheduler_is_refused_naming_the_parameter()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() =>
            Daemon.Client.RunJobAsync(Job("generate", Picture(), parameters: ("scheduler", Value.ForString("plms")))));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("parameters.scheduler", e.Status.Detail);
    }
}
