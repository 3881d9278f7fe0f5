using EditorBridge.Engines.Diffusion.Tests.InProcess;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using static EditorBridge.Engines.Diffusion.Tests.ThroughDaemon.WireJobs;

namespace EditorBridge.Engines.Diffusion.Tests.ThroughDaemon;

/// <summary>
/// Control layers through the daemon: GetInfo offers a canvas-aligned input per installed type, the
/// layer picked as scribble is cut to the work area with the layer and steers the picture, the
/// provenance names the control types, and a type the model lacks is refused on its input.
/// (That the conditioning image has the work size and 0..1 is checked in process, ControlLayerTests.)
/// </summary>
public sealed class ControlLayerJobTests(DiffusionDaemon fixture) : IClassFixture<DiffusionDaemon>
{
    [Fact]
    public async Task GetInfo_offers_the_control_layers_as_canvas_aligned_inputs()
    {
        var info = await fixture.Daemon.Client.GetInfoAsync();
        var generate = info.Engines.Single(e => e.Name == "diffusion").Operations.Single(o => o.Name == "generate");
        Assert.Equal(["control_lineart", "control_scribble", "control_depth"], generate.Inputs.Select(i => i.Name));
        Assert.All(generate.Inputs, i => Assert.True(i.CanvasAligned && !i.Required));
        Assert.Contains(generate.Parameters, p => p.Name == "control_strength");
    }

    [Fact]
    public async Task A_scribble_layer_steers_the_picture_and_the_provenance_names_it()
    {
        var picture = Picture();
        // a scribble layer at the layer's own canvas offset, dark strokes on transparency
        var scribble = new byte[96 * 80 * 4];
        for (int y = 0; y < 80; y++)
            for (int x = 0; x < 96; x++)
                if (x % 12 < 2 || y == 40)
                    scribble[(y * 96 + x) * 4 + 3] = 255;
        JobRequest With(double strength, bool control)
        {
            var request = Job("generate", picture, parameters: [("steps", Value.ForNumber(4)), ("control_strength", Value.ForNumber(strength))]);
            request.Model = TinyModelStore.Plain;
            if (control)
                request.Inputs["control_scribble"] = WireRequests.Layer(new RgbaPicture(96, 80, scribble));
            return request;
        }

        var steered = await fixture.Daemon.Client.RunJobAsync(With(1, true));
        var plain = await fixture.Daemon.Client.RunJobAsync(With(1, false));
        var off = await fixture.Daemon.Client.RunJobAsync(With(0, true));

        Assert.Equal(["scribble"], steered.Provenance.Controls);
        Assert.Empty(plain.Provenance.Controls);
        Assert.NotEqual(plain.Layer.Data, steered.Layer.Data);
        Assert.Equal(plain.Layer.Data, off.Layer.Data);
        Assert.Equal(1.0, steered.Provenance.Parameters.Fields["control_strength"].NumberValue);
    }

    [Fact]
    public async Task A_control_type_the_model_lacks_is_refused_on_its_input()
    {
        var picture = Picture();
        var request = Job("fill", picture);
        request.Model = TinyModelStore.Inpainting;
        request.Mask = WireRequests.Rectangle(20, 20, 32, 32);
        request.Inputs["control_depth"] = WireRequests.Layer(picture);

        var e = await Assert.ThrowsAsync<RpcException>(() => fixture.Daemon.Client.RunJobAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("inputs.control_depth: model 'tiny-sd-inpaint' has no depth ControlNet (controlnet_depth/)", e.Status.Detail);
    }
}
