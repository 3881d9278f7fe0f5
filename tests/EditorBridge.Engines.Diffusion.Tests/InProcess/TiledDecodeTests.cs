using EditorBridge.Engines.Diffusion.Runtime;
using EditorBridge.Engines.Diffusion.Schedulers;
using EditorBridge.Inference;

namespace EditorBridge.Engines.Diffusion.Tests.InProcess;

/// <summary>
/// Tiled VAE decoding on the tiny decoder (convolutions only, receptive field about one latent):
/// the ramps give no weight to the outputs within a margin of an inner tile edge, so the blend of
/// tiles equals the whole decode everywhere, up to float rounding of the weighted average.
/// </summary>
public sealed class TiledDecodeTests(TinyModelStore store) : IClassFixture<TinyModelStore>
{
    [Fact]
    public void Tiled_decode_equals_the_whole_decode()
    {
        using var sessions = new SharedSessions([ExecutionProvider.Cpu], TimeSpan.FromMinutes(1));
        using var decoder = sessions.Acquire(Path.Combine(store.ModelDirectory(TinyModelStore.Plain), "vae_decoder", "model.onnx"));
        const int width = 56, height = 40;
        var latents = new GaussianNoise(3).Next(4 * width * height);

        var whole = new VaeCodec(0.18215f, tileLatents: 64).Decode(decoder, latents, width, height, CancellationToken.None);
        var tiled = new VaeCodec(0.18215f, tileLatents: 24).Decode(decoder, latents, width, height, CancellationToken.None);

        Assert.Equal(whole.Length, tiled.Length);
        var worst = whole.Zip(tiled, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst < 1e-5, $"largest difference {worst}");
    }

    [Fact]
    public void Tiles_without_margins_would_show_their_seams()
    {
        // Guard: the test above can fail. Tiles decoded alone and butted together differ at the seams.
        using var sessions = new SharedSessions([ExecutionProvider.Cpu], TimeSpan.FromMinutes(1));
        using var decoder = sessions.Acquire(Path.Combine(store.ModelDirectory(TinyModelStore.Plain), "vae_decoder", "model.onnx"));
        const int width = 48, height = 24;
        var latents = new GaussianNoise(3).Next(4 * width * height);
        var codec = new VaeCodec(0.18215f, tileLatents: 64);
        var whole = codec.Decode(decoder, latents, width, height, CancellationToken.None);
        var left = codec.Decode(decoder, Columns(latents, width, height, 0, 24), 24, height, CancellationToken.None);

        // column 191 (the left half's last pixel) lacks its right neighbour when decoded alone
        int row = 100;
        Assert.NotEqual(whole[row * width * 8 + 191], left[row * 24 * 8 + 191]);
        Assert.Equal(whole[row * width * 8 + 100], left[row * 24 * 8 + 100], 5);
    }

    private static float[] Columns(float[] latents, int width, int height, int x0, int count)
    {
        var result = new float[4 * count * height];
        for (int c = 0; c < 4; c++)
        {
            for (int y = 0; y < height; y++)
                Array.Copy(latents, c * width * height + y * width + x0, result, c * count * height + y * count, count);
        }

        return result;
    }
}
