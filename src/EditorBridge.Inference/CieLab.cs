namespace EditorBridge.Inference;

/// <summary>sRGB (D65) ↔ CIE L*a*b*, for colorizers that read lightness and answer chroma.</summary>
public static class CieLab
{
    private const double Xn = 0.95047, Zn = 1.08883;

    /// <summary>L in 0..100, a and b about −128..128.</summary>
    public static (double L, double A, double B) FromRgb(byte r, byte g, byte b)
    {
        double lr = Linear(r), lg = Linear(g), lb = Linear(b);
        double x = (0.4124564 * lr + 0.3575761 * lg + 0.1804375 * lb) / Xn;
        double y = 0.2126729 * lr + 0.7151522 * lg + 0.0721750 * lb;
        double z = (0.0193339 * lr + 0.1191920 * lg + 0.9503041 * lb) / Zn;
        double fx = F(x), fy = F(y), fz = F(z);
        return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz));
    }

    /// <summary>Lightness only (0..100), cheaper than <see cref="FromRgb"/>.</summary>
    public static double Lightness(byte r, byte g, byte b) =>
        116 * F(0.2126729 * Linear(r) + 0.7151522 * Linear(g) + 0.0721750 * Linear(b)) - 16;

    public static (byte R, byte G, byte B) ToRgb(double l, double a, double b)
    {
        double fy = (l + 16) / 116, fx = fy + a / 500, fz = fy - b / 200;
        double x = Xn * FInverse(fx), y = FInverse(fy), z = Zn * FInverse(fz);
        double lr = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z;
        double lg = -0.9692660 * x + 1.8760108 * y + 0.0415560 * z;
        double lb = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z;
        return (Encode(lr), Encode(lg), Encode(lb));
    }

    private static double Linear(byte v)
    {
        double c = v / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }

    private static byte Encode(double linear)
    {
        double c = linear <= 0.0031308 ? 12.92 * linear : 1.055 * Math.Pow(Math.Max(linear, 0), 1 / 2.4) - 0.055;
        return (byte)Math.Clamp(Math.Round(c * 255), 0, 255);
    }

    private static double F(double t) => t > 216.0 / 24389 ? Math.Cbrt(t) : (24389.0 / 27 * t + 16) / 116;

    private static double FInverse(double f) => f * f * f > 216.0 / 24389 ? f * f * f : (116 * f - 16) * 27 / 24389;
}
