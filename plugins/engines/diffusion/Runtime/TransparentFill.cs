namespace EditorBridge.Engines.Diffusion.Runtime;

/// <summary>
/// Outpainting's starting colours: fully transparent pixels (new canvas the layer grows into) hold no
/// colour, and the VAE would read them as black. Before encoding, each takes the colour of the nearest
/// pixel that has one (a breadth-first search from every coloured pixel at once, 4-neighbours): the
/// border's colours carried outward, as krita-ai-diffusion's "border" fill starts outpainting. A band
/// past an edge continues each row's (or column's) border colour exactly.
/// </summary>
internal static class TransparentFill
{
    /// <summary>
    /// A copy of <paramref name="image"/> whose pixels with alpha 0 inside <paramref name="hole"/> have the
    /// nearest coloured pixel's colour (alpha kept); the image itself when there is no such pixel or no colour.
    /// </summary>
    public static EngineImage Apply(EngineImage image, byte[] hole)
    {
        int w = image.Width, h = image.Height;
        var pixels = image.Pixels;
        var source = new int[w * h];
        var queue = new int[w * h];
        int head = 0, tail = 0;
        bool any = false;
        for (int p = 0; p < source.Length; p++)
        {
            bool empty = pixels[p * 4 + 3] == 0;
            any |= empty && hole[p] != 0;
            source[p] = empty ? -1 : p;
            if (!empty)
                queue[tail++] = p;
        }

        if (!any || tail == 0)
            return image;
        while (head < tail)
        {
            int p = queue[head++], x = p % w, y = p / w;
            if (x > 0)
                Reach(p - 1);
            if (x < w - 1)
                Reach(p + 1);
            if (y > 0)
                Reach(p - w);
            if (y < h - 1)
                Reach(p + w);

            void Reach(int q)
            {
                if (source[q] >= 0)
                    return;
                source[q] = source[p];
                queue[tail++] = q;
            }
        }

        var result = (byte[])pixels.Clone();
        for (int p = 0; p < source.Length; p++)
        {
            if (pixels[p * 4 + 3] == 0 && hole[p] != 0)
                Array.Copy(pixels, source[p] * 4, result, p * 4, 3);
        }

        return new EngineImage(w, h, result);
    }
}
