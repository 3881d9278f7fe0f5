using EditorBridge.ModelStore;
using static Onnx.TensorProto.Types;

namespace EditorBridge.TinyModels.ImageModels;

/// <summary>
/// A ×4 upscaler with Real-ESRGAN's ONNX signature (e.g. the RealESRGAN_x4plus exports: "input" float
/// [1,3,h,w] RGB 0..1 → "output" float [1,3,4h,4w] RGB 0..1, any size). Made of one 3×3 convolution and
/// DepthToSpace only, so every output pixel depends on its input pixel's 3×3 neighbourhood: tiled equals
/// whole away from tile borders. Each sub-pixel leans towards the neighbour it is nearest to.
/// </summary>
public static class TinyEsrgan
{
    public const int Scale = 4;

    public static ModelSignature Signature(int tile = 128, int overlap = 16) => new(
        TinyModelFolder.ModelFile,
        [new TensorDescription("input", "image", [1, 3, -1, -1], Range: [0, 1])],
        [new TensorDescription("output", "image", [1, 3, -1, -1], Range: [0, 1])],
        Scale: Scale,
        Tile: tile,
        TileOverlap: overlap);

    public static TinyGraph Graph()
    {
        // DepthToSpace (DCR): output (c, y*4+i, x*4+j) reads input channel (i*4 + j)*3 + c.
        var weights = new float[3 * Scale * Scale * 3 * 3 * 3];
        for (int i = 0; i < Scale; i++)
            for (int j = 0; j < Scale; j++)
                for (int c = 0; c < 3; c++)
                {
                    int outChannel = (i * Scale + j) * 3 + c;
                    double dy = (i + 0.5) / Scale - 0.5, dx = (j + 0.5) / Scale - 0.5;
                    for (int ky = 0; ky < 3; ky++)
                        for (int kx = 0; kx < 3; kx++)
                        {
                            double wy = ky == 1 ? 1 - Math.Abs(dy) : (ky == 0 ? Math.Max(0, -dy) : Math.Max(0, dy));
                            double wx = kx == 1 ? 1 - Math.Abs(dx) : (kx == 0 ? Math.Max(0, -dx) : Math.Max(0, dx));
                            weights[((outChannel * 3 + c) * 3 + ky) * 3 + kx] = (float)(wy * wx);
                        }
                }

        return new TinyGraph("tiny-esrgan-x4")
            .Input("input", DataType.Float, 1, 3, "height", "width")
            .Output("output", DataType.Float, 1, 3, "height4", "width4")
            .Weight("kernel", weights, 3 * Scale * Scale, 3, 3, 3)
            .Node("Conv", ["input", "kernel"], ["features"], ("pads", new long[] { 1, 1, 1, 1 }))
            .Node("DepthToSpace", ["features"], ["output"], ("blocksize", (long)Scale), ("mode", "DCR"));
    }

    public static ModelManifest Write(string directory, string name = "tiny-esrgan-x4", int tile = 128, int overlap = 16) =>
        TinyModelFolder.Write(directory, name, ModelKind.Upscale, "restore", Graph(), Signature(tile, overlap), "Real-ESRGAN-signature ×4 test upscaler (bilinear-like convolution + DepthToSpace)");
}
