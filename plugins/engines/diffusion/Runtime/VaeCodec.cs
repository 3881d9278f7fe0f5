using EditorBridge.Inference;

namespace EditorBridge.Engines.Diffusion.Runtime;

/// <summary>
/// The VAE: pixels (-1..1) to scaled latents and back. Large outputs are decoded in overlapping
/// latent tiles blended with ramps (<see cref="TileSpan"/>), so memory stays that of one tile;
/// cancellation is checked between tiles and stops a tile inside ONNX Runtime.
/// </summary>
internal sealed class VaeCodec(float scalingFactor, int tileLatents = VaeCodec.DefaultTileLatents)
{
    /// <summary>64 latents = 512 pixels: SD 1.5's own size decodes in one piece.</summary>
    public const int DefaultTileLatents = 64;

    public int TileLatents { get; } = tileLatents;

    /// <summary>Latents [1, 4, h, w] for a [1, 3, 8h, 8w] image: the distribution's mean (deterministic) times the scaling factor.</summary>
    public float[] Encode(SessionLease encoder, float[] image, int width, int height, CancellationToken cancellationToken)
    {
        var session = encoder.Session;
        var input = session.InputMetadata.First();
        var outputName = session.OutputNames.Contains("latent_sample") ? "latent_sample" : session.OutputNames.Contains("latent_parameters") ? "latent_parameters" : session.OutputNames[0];
        using var value = TensorData.Floats(image, [1, 3, height, width], input.Value.ElementDataType);
        using var outputs = GraphRun.Run(session, [input.Key], [value], [outputName], cancellationToken);
        var latents = TensorData.Read(outputs[0]);
        int plane = width / 8 * (height / 8);
        // latent_parameters (newer optimum exports) hold mean and log-variance: the first 4 channels are the mean.
        var mean = latents.Length > 4 * plane ? latents[..(4 * plane)] : latents;
        for (int i = 0; i < mean.Length; i++)
            mean[i] *= scalingFactor;
        return mean;
    }

    /// <summary>The image [1, 3, 8h, 8w] in -1..1 for scaled latents [1, 4, h, w].</summary>
    public float[] Decode(SessionLease decoder, float[] latents, int latentWidth, int latentHeight, CancellationToken cancellationToken)
    {
        var unscaled = latents.Select(v => v / scalingFactor).ToArray();
        if (latentWidth <= TileLatents && latentHeight <= TileLatents)
            return DecodeTile(decoder, unscaled, latentWidth, latentHeight, cancellationToken);
        int overlap = TileLatents / 4, margin = TileLatents / 16;
        var xs = new TileSpan(latentWidth * 8, TileLatents * 8, overlap * 8, margin * 8);
        var ys = new TileSpan(latentHeight * 8, TileLatents * 8, overlap * 8, margin * 8);
        int width = latentWidth * 8, height = latentHeight * 8;
        var sum = new float[3 * width * height];
        var weights = new float[width * height];
        foreach (var y0 in ys.Starts())
        {
            foreach (var x0 in xs.Starts())
            {
                cancellationToken.ThrowIfCancellationRequested();
                int tw = xs.Size(x0) / 8, th = ys.Size(y0) / 8;
                var tile = DecodeTile(decoder, Crop(unscaled, latentWidth, latentHeight, x0 / 8, y0 / 8, tw, th), tw, th, cancellationToken);
                Accumulate(tile, tw * 8, th * 8, x0, y0, xs, ys, sum, weights, width, height);
            }
        }

        int plane = width * height;
        for (int c = 0; c < 3; c++)
        {
            for (int p = 0; p < plane; p++)
                sum[c * plane + p] /= weights[p];
        }

        return sum;
    }

    private static float[] DecodeTile(SessionLease decoder, float[] latents, int width, int height, CancellationToken cancellationToken)
    {
        var session = decoder.Session;
        var input = session.InputMetadata.First();
        var outputName = session.OutputNames.Contains("sample") ? "sample" : session.OutputNames[0];
        using var value = TensorData.Floats(latents, [1, 4, height, width], input.Value.ElementDataType);
        using var outputs = GraphRun.Run(session, [input.Key], [value], [outputName], cancellationToken);
        var shape = TensorData.Shape(outputs[0]);
        if (shape.Length != 4 || shape[1] != 3 || shape[2] != height * 8 || shape[3] != width * 8)
            throw new InvalidOperationException($"the VAE decoder answered shape [{string.Join(", ", shape)}] for {width}x{height} latents");
        return TensorData.Read(outputs[0]);
    }

    private static float[] Crop(float[] latents, int width, int height, int x0, int y0, int w, int h)
    {
        var tile = new float[4 * w * h];
        for (int c = 0; c < 4; c++)
        {
            for (int y = 0; y < h; y++)
                Array.Copy(latents, c * width * height + (y0 + y) * width + x0, tile, c * w * h + y * w, w);
        }

        return tile;
    }

    private static void Accumulate(float[] tile, int tw, int th, int x0, int y0, TileSpan xs, TileSpan ys, float[] sum, float[] weights, int width, int height)
    {
        int plane = width * height, tilePlane = tw * th;
        for (int y = 0; y < th; y++)
        {
            float wy = ys.Weight(y0, y);
            for (int x = 0; x < tw; x++)
            {
                float w = wy * xs.Weight(x0, x);
                if (w == 0)
                    continue;
                int p = (y0 + y) * width + x0 + x;
                weights[p] += w;
                for (int c = 0; c < 3; c++)
                    sum[c * plane + p] += w * tile[c * tilePlane + y * tw + x];
            }
        }
    }
}
