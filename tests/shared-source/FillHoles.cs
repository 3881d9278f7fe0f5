using OpenCvSharp;

namespace EditorBridge.Testing;

/// <summary>
/// The hole kinds fill quality is measured on, the same in the benchmark and the tests: thin strokes (six
/// random 3–5 px polylines, about 3 % of a 256² picture) or a blob of discs covering a given share
/// ("blob 15 %"). Seeded: the same kind, side and seed give the same hole.
/// </summary>
public static class FillHoles
{
    public static readonly string[] Kinds = ["strokes", "blob 5 %", "blob 15 %"];

    /// <summary>The seed of the hole of kind <paramref name="kind"/> over the <paramref name="index"/>-th picture of a set.</summary>
    public static int Seed(string kind, int index) => 11 * index + kind.Length;

    /// <summary>side*side bytes, 255 inside the hole.</summary>
    public static byte[] Make(string kind, int side, int seed)
    {
        var random = new Random(seed);
        using var mask = new Mat(side, side, MatType.CV_8UC1, Scalar.All(0));
        if (kind == "strokes")
        {
            for (int s = 0; s < 6; s++)
            {
                var a = new Point(random.Next(side), random.Next(side));
                for (int k = 0; k < 3; k++)
                {
                    var b = new Point(Math.Clamp(a.X + random.Next(-80, 81), 0, side - 1), Math.Clamp(a.Y + random.Next(-80, 81), 0, side - 1));
                    Cv2.Line(mask, a, b, Scalar.All(255), random.Next(3, 6));
                    a = b;
                }
            }
        }
        else
        {
            double share = double.Parse(kind.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) / 100;
            double target = share * side * side;
            var centre = new Point(side / 2 + random.Next(-side / 8, side / 8), side / 2 + random.Next(-side / 8, side / 8));
            int radius = (int)Math.Sqrt(target / Math.PI / 1.6);
            while (Cv2.CountNonZero(mask) < target)
            {
                var at = new Point(centre.X + random.Next(-radius, radius + 1), centre.Y + random.Next(-radius, radius + 1));
                Cv2.Circle(mask, at, Math.Max(3, radius / 2 + random.Next(radius / 2)), Scalar.All(255), -1);
            }
        }

        var bytes = new byte[side * side];
        System.Runtime.InteropServices.Marshal.Copy(mask.Data, bytes, 0, bytes.Length);
        return bytes;
    }

    /// <summary>A copy of RGBA8 <paramref name="rgba"/> with the hole's pixels magenta, so nothing can peek at what was there.</summary>
    public static byte[] Damage(byte[] rgba, byte[] hole)
    {
        var damaged = (byte[])rgba.Clone();
        for (int p = 0; p < hole.Length; p++)
        {
            if (hole[p] != 0)
                (damaged[p * 4], damaged[p * 4 + 1], damaged[p * 4 + 2]) = (255, 0, 255);
        }

        return damaged;
    }
}
