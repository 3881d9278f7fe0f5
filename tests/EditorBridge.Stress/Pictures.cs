using EditorBridge.Protocol.V1;
using Google.Protobuf;

namespace EditorBridge.Stress;

/// <summary>Synthetic layers and selections (no files needed): smooth colour with seeded texture.</summary>
public static class Pictures
{
    public static byte[] Texture(int width, int height, int seed, int bytesPerPixel = 4)
    {
        var random = new Random(seed);
        var pixels = new byte[width * height * bytesPerPixel];
        int fx = random.Next(1, 7), fy = random.Next(1, 7);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int at = (y * width + x) * bytesPerPixel;
                for (int c = 0; c < 3; c++)
                {
                    int v = (int)(128 + 60 * Math.Sin((x * fx + c * 40) * 0.05) + 40 * Math.Cos((y * fy - c * 30) * 0.04)) + random.Next(-20, 21);
                    Put(pixels, at, c, Math.Clamp(v, 0, 255), bytesPerPixel);
                }

                Put(pixels, at, 3, 255, bytesPerPixel);
            }
        }

        return pixels;
    }

    private static void Put(byte[] pixels, int at, int channel, int value, int bytesPerPixel)
    {
        if (bytesPerPixel == 4)
        {
            pixels[at + channel] = (byte)value;
            return;
        }

        ushort wide = (ushort)(value * 257 + (value < 255 ? (at + channel) % 200 : 0));
        pixels[at + channel * 2] = (byte)wide;
        pixels[at + channel * 2 + 1] = (byte)(wide >> 8);
    }

    public static Image Layer(int width, int height, int seed, int offsetX = 0, int offsetY = 0, PixelFormat format = PixelFormat.Rgba8) => new()
    {
        Width = width,
        Height = height,
        Format = format,
        OffsetX = offsetX,
        OffsetY = offsetY,
        Data = ByteString.CopyFrom(Texture(width, height, seed, format == PixelFormat.Rgba16 ? 8 : 4)),
    };

    /// <summary>A rectangle selection with a soft one-pixel rim, in canvas coordinates.</summary>
    public static Mask Rectangle(int x, int y, int width, int height)
    {
        var coverage = new byte[width * height];
        for (int j = 0; j < height; j++)
            for (int i = 0; i < width; i++)
                coverage[j * width + i] = i == 0 || j == 0 || i == width - 1 || j == height - 1 ? (byte)128 : (byte)255;
        return new Mask { Width = width, Height = height, OffsetX = x, OffsetY = y, Coverage = ByteString.CopyFrom(coverage) };
    }

    /// <summary>A fill request for the classic engine.</summary>
    public static JobRequest Fill(Image layer, Mask mask, string method = "telea", ulong seed = 1) => new()
    {
        Operation = "fill",
        Layer = layer,
        Mask = mask,
        Seed = seed,
        Parameters = new Google.Protobuf.WellKnownTypes.Struct { Fields = { ["method"] = Google.Protobuf.WellKnownTypes.Value.ForString(method) } },
    };

    /// <summary>Checks a fill's result against what was sent (see <see cref="PixelCheck"/>); null when right.</summary>
    public static string? CheckResult(JobRequest sent, JobResult result, int defaultGrow) =>
        PixelCheck.OutsideSelection(sent.Layer, sent.Layer.Data.ToByteArray(), sent.Mask, sent.Mask?.Coverage.ToByteArray(),
            sent.Geometry?.HasGrowPixels == true ? sent.Geometry.GrowPixels : defaultGrow, result.Layer, result.Layer.Data.ToByteArray());
}
