using EditorBridge.Imaging;
using EditorBridge.PaintDotNet.Core;

namespace EditorBridge.PaintDotNet.Core.Tests.Model;

/// <summary>
/// How Paint.NET applies a bitmap effect, as far as the plugin can tell: it asks for the output in
/// tiles over the selection's bounds, on several threads at once, in no particular order, and may
/// ask for a tile again (preview, then the final render); each tile's output buffer starts out with
/// garbage; then it keeps the output only inside the selection, blending it with the source by
/// the selection's coverage (anti-aliased edges), and leaves every other pixel alone.
/// </summary>
public static class ModelEffectHost
{
    /// <summary>Renders <paramref name="renderer"/> into a copy of the layer and returns it, with the tiles it asked for.</summary>
    public static (ModelBitmap Result, int Tiles) Apply(ModelDocument document, ResultRenderer renderer, int tileSize = 37, int seed = 1, bool renderTwice = true)
    {
        var source = document.Layer;
        var bounds = document.Selection.RenderBounds;
        var tiles = new List<PixelRect>();
        for (int y = bounds.Y; y < bounds.Bottom; y += tileSize)
            for (int x = bounds.X; x < bounds.Right; x += tileSize)
                tiles.Add(new PixelRect(x, y, Math.Min(tileSize, bounds.Right - x), Math.Min(tileSize, bounds.Bottom - y)));
        var random = new Random(seed);
        var order = tiles.OrderBy(_ => random.Next()).ToList();
        if (renderTwice)
            order.AddRange(tiles.OrderBy(_ => random.Next()));

        var output = new ModelBitmap(source.Width, source.Height);
        output.Bytes.Fill(0xCD); // garbage: whatever a tile does not write shows
        Parallel.ForEach(order, new ParallelOptions { MaxDegreeOfParallelism = 4 }, tile =>
        {
            // each render gets its own buffer, then lands in the output, as a tile of Paint.NET's output bitmap does
            int stride = tile.Width * 4 + 12;
            var buffer = new byte[stride * tile.Height];
            buffer.AsSpan().Fill(0xAB);
            renderer.RenderTile(tile, source.Region(tile.X, tile.Y, tile.Width, tile.Height), source.Stride, buffer, stride);
            lock (output)
            {
                var target = output.Region(tile.X, tile.Y, tile.Width, tile.Height);
                for (int row = 0; row < tile.Height; row++)
                    buffer.AsSpan(row * stride, tile.Width * 4).CopyTo(target.Slice(row * output.Stride));
            }
        });

        var result = source.Clone();
        for (int y = bounds.Y; y < bounds.Bottom; y++)
            for (int x = bounds.X; x < bounds.Right; x++)
            {
                int m = document.Selection.At(x, y);
                if (m == 0)
                    continue;
                var (s, o) = (source[x, y], output[x, y]);
                result[x, y] = m == 255 ? o : new ModelColor(Mix(s.B, o.B, m), Mix(s.G, o.G, m), Mix(s.R, o.R, m), Mix(s.A, o.A, m));
            }

        return (result, order.Count);
    }

    private static byte Mix(byte from, byte to, int weight) => (byte)((from * (255 - weight) + to * weight + 127) / 255);
}
