namespace EditorBridge.Bench;

/// <summary>
/// Two 256² illustrations drawn here for the upscaler comparison (no outside material): a flat-colour
/// cartoon with dark outlines and a line-art hatching study, each rendered at 4× and averaged down so
/// edges are anti-aliased as in real drawings.
/// </summary>
internal static class Illustrations
{
    private const int Side = 256;
    private const int Super = 4;

    public static IEnumerable<(string Name, Testing.RgbaPicture Picture)> All()
    {
        yield return ("cartoon", Render(Cartoon));
        yield return ("line-art", Render(LineArt));
    }

    /// <summary>Sky, a hill, a sun, a house with a window: flat colours, 2.5 px dark outlines.</summary>
    private static (byte R, byte G, byte B) Cartoon(double x, double y)
    {
        const double line = 2.5;
        double sun = Math.Sqrt((x - 190) * (x - 190) + (y - 60) * (y - 60)) - 30;
        double hill = y - (170 + 25 * Math.Sin(x / 40.0));
        double house = Math.Max(Math.Max(60 - x, x - 140), Math.Max(120 - y, y - 200));
        double roof = Math.Max(y - 120, Math.Max((x - 100) * 0.8 - (y - 80), -(x - 100) * 0.8 - (y - 80)));
        double window = Math.Max(Math.Max(80 - x, x - 110), Math.Max(140 - y, y - 170));
        if (Math.Abs(window) < line / 2 || Math.Abs(house) < line / 2 && roof > line / 2 || Math.Abs(roof) < line / 2 || Math.Abs(sun) < line / 2 || Math.Abs(hill) < line / 2 && house > 0)
            return (30, 24, 40);
        if (window < 0) return (250, 230, 120);
        if (roof < 0) return (190, 60, 50);
        if (house < 0) return (235, 200, 150);
        if (sun < 0) return (255, 210, 60);
        if (hill > 0) return (90, 170, 80);
        return (140, 200, 240);
    }

    /// <summary>Black ink on paper: concentric rings, a spiral and a hatched square of 1.5 px strokes.</summary>
    private static (byte R, byte G, byte B) LineArt(double x, double y)
    {
        const double width = 0.75;
        double r = Math.Sqrt((x - 80) * (x - 80) + (y - 80) * (y - 80));
        bool rings = r < 60 && Math.Abs(r % 12 - 6) > 6 - width;
        double angle = Math.Atan2(y - 180, x - 180), distance = Math.Sqrt((x - 180) * (x - 180) + (y - 180) * (y - 180));
        double turn = (distance - 6 * angle) / (6 * 2 * Math.PI);
        bool spiral = distance < 65 && Math.Abs(turn - Math.Round(turn)) * 6 * 2 * Math.PI < width;
        bool hatch = x > 150 && x < 240 && y > 20 && y < 110 && Math.Abs((x + y) % 9 - 4.5) > 4.5 - width;
        bool frame = Math.Abs(Math.Max(Math.Abs(x - 195) , Math.Abs(y - 65)) - 45) < width;
        bool curve = Math.Abs(y - (200 + 30 * Math.Sin(x / 18.0))) < width && x < 110;
        return rings || spiral || hatch || frame || curve ? ((byte)20, (byte)20, (byte)25) : ((byte)250, (byte)246, (byte)236);
    }

    private static Testing.RgbaPicture Render(Func<double, double, (byte R, byte G, byte B)> draw)
    {
        var rgba = new byte[Side * Side * 4];
        for (int y = 0; y < Side; y++)
            for (int x = 0; x < Side; x++)
            {
                int r = 0, g = 0, b = 0;
                for (int sy = 0; sy < Super; sy++)
                    for (int sx = 0; sx < Super; sx++)
                    {
                        var c = draw(x + (sx + 0.5) / Super, y + (sy + 0.5) / Super);
                        r += c.R;
                        g += c.G;
                        b += c.B;
                    }

                int n = Super * Super, p = (y * Side + x) * 4;
                (rgba[p], rgba[p + 1], rgba[p + 2], rgba[p + 3]) = ((byte)(r / n), (byte)(g / n), (byte)(b / n), 255);
            }

        return new Testing.RgbaPicture(Side, Side, rgba);
    }
}
