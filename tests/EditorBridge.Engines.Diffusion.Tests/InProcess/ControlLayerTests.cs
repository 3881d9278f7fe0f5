using EditorBridge.Engines.Diffusion.Runtime;
using static EditorBridge.Engines.Diffusion.Tests.InProcess.EngineRuns;

namespace EditorBridge.Engines.Diffusion.Tests.InProcess;

/// <summary>
/// Control layers on the tiny models (the ControlNet graph of diffusers' exports: sample, timestep,
/// encoder_hidden_states, controlnet_cond → residuals fed in order to the UNet's extra inputs): the
/// conditioning image each type extracts reaches its ControlNet at the work image's size, in 0..1,
/// light strokes on black; the result follows it; types the model lacks are refused by input name.
/// </summary>
public sealed class ControlLayerTests(TinyModelStore store) : IClassFixture<TinyModelStore>, IDisposable
{
    private readonly DiffusionEngine engine = Engine(store.Path);

    public void Dispose() => engine.Dispose();

    [Fact]
    public void The_operations_offer_a_picker_per_installed_control_type_and_a_strength()
    {
        var fill = engine.Describe().Operations.Single(o => o.Name == "fill");
        Assert.Equal(["control_lineart", "control_scribble", "control_depth"], fill.DeclaredInputs.Select(i => i.Name));
        Assert.All(fill.DeclaredInputs, i => Assert.True(i.CanvasAligned && !i.Required));
        Assert.Contains(fill.Parameters, p => p.Name == "control_strength");
        Assert.Contains("object", engine.Describe().Operations.Single(o => o.Name == "compose").DeclaredInputs.Select(i => i.Name));
    }

    [Fact]
    public async Task Each_type_reaches_its_ControlNet_at_the_work_size_in_zero_to_one()
    {
        const int W = 64, H = 48;
        var lineArt = Layer(W, H, (x, y) => x == 20 || y == 30 ? (0, 0, 0, 255) : (0, 0, 0, 0)); // dark lines on transparency
        var scribble = Layer(W, H, (x, y) => x < 32 ? (250, 250, 250, 255) : ((byte)(x * 3), (byte)(x * 3), (byte)(x * 3), 255)); // opaque, light paper
        var depth = Layer(W, H, (x, y) => ((byte)(y * 5), (byte)(y * 5), (byte)(y * 5), 255));
        var request = Request(engine, "generate", new EngineImage(W, H, new byte[W * H * 4]), parameters: ("control_strength", 0.5)) with
        {
            Inputs = new Dictionary<string, EngineImage> { ["control_lineart"] = lineArt, ["control_scribble"] = scribble, ["control_depth"] = depth },
        };

        var output = await RunAsync(engine, request);

        Assert.Equal(["lineart", "scribble", "depth"], output.Controls);
        var fed = engine.LastControls;
        Assert.Equal(3, fed.Count);
        Assert.All(fed, c => Assert.Equal((W, H, 3 * W * H, 0.5f), (c.Width, c.Height, c.Pixels.Length, c.Scale)));
        Assert.All(fed, c => Assert.All(c.Pixels, v => Assert.InRange(v, 0f, 1f)));
        // line art as drawn: the lines white, the transparent rest black, in every channel
        Assert.Equal(1f, At(fed[0], W, H, 20, 5, 1));
        Assert.Equal(0f, At(fed[0], W, H, 5, 5, 2));
        // scribble thresholded: light paper → 0, dark strokes → 1, nothing in between
        Assert.All(fed[1].Pixels, v => Assert.True(v is 0f or 1f));
        Assert.Equal(0f, At(fed[1], W, H, 10, 10, 0));
        Assert.Equal(1f, At(fed[1], W, H, 40, 10, 0)); // 120 of 255: dark enough
        Assert.Equal(0f, At(fed[1], W, H, 60, 10, 0)); // 180 of 255: paper
        // depth: the painted grey as it is (white = near)
        Assert.Equal(40 * 5 / 255f, At(fed[2], W, H, 3, 40, 1), 5);
    }

    [Fact]
    public async Task The_picture_follows_the_control_layer_and_strength_zero_is_no_control()
    {
        const int S = 64;
        var photo = Photo(S);
        EngineImage Bars(int every) => Layer(S, S, (x, y) => x % every < 2 ? (0, 0, 0, 255) : (255, 255, 255, 255));
        EngineRequest With(EngineImage? scribble, double strength) => Request(engine, "generate", photo, parameters: ("control_strength", strength)) with
        {
            Inputs = scribble is null ? new Dictionary<string, EngineImage>() : new Dictionary<string, EngineImage> { ["control_scribble"] = scribble },
        };

        var none = await RunAsync(engine, With(null, 1));
        var one = await RunAsync(engine, With(Bars(8), 1));
        var other = await RunAsync(engine, With(Bars(16), 1));
        var off = await RunAsync(engine, With(Bars(8), 0));

        Assert.NotEqual(none.Image.Pixels, one.Image.Pixels);
        Assert.NotEqual(one.Image.Pixels, other.Image.Pixels);
        Assert.Equal(none.Image.Pixels, off.Image.Pixels);
        Assert.Empty(none.Controls);
    }

    [Fact]
    public async Task A_model_without_that_ControlNet_is_refused_naming_the_input()
    {
        var request = Request(engine, "fill", Photo(64), Hole(64, 16, 16, 24, 24), model: TinyModelStore.Inpainting) with
        {
            Inputs = new Dictionary<string, EngineImage> { ["control_depth"] = Layer(64, 64, (x, y) => (9, 9, 9, 255)) },
        };

        var e = await Assert.ThrowsAsync<EngineInputException>(() => RunAsync(engine, request));
        Assert.Equal("inputs.control_depth", e.Field);
        Assert.Contains("has no depth ControlNet (controlnet_depth/)", e.Message);
    }

    private static EngineImage Layer(int w, int h, Func<int, int, (int R, int G, int B, int A)> pixel)
    {
        var rgba = new byte[w * h * 4];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                var (r, g, b, a) = pixel(x, y);
                (rgba[(y * w + x) * 4], rgba[(y * w + x) * 4 + 1], rgba[(y * w + x) * 4 + 2], rgba[(y * w + x) * 4 + 3]) = ((byte)r, (byte)g, (byte)b, (byte)a);
            }

        return new EngineImage(w, h, rgba);
    }

    private static float At(ControlImage c, int w, int h, int x, int y, int channel) => c.Pixels[channel * w * h + y * w + x];
}
