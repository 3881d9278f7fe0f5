using OpenCvSharp;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// Flats without hints: every region enclosed by ink gets its own colour from an evenly spread set
/// of light hues, as flatters do before the real colours are chosen; ink pixels and specks too
/// small to be regions take their neighbours' colour (<see cref="InkBarrierFlats"/>), so the flats
/// have no holes under the lines. Regions joined by a gap in a line share a colour.
/// </summary>
internal static class RegionFlats
{
    public const int MinimumRegion = 16;

    public static int[] Fill(int width, int height, float[] ink, double inkThreshold, int gap, CancellationToken cancellationToken)
    {
        using var paper = new Mat(height, width, MatType.CV_8UC1);
        var bytes = new byte[ink.Length];
        for (int p = 0; p < ink.Length; p++)
            bytes[p] = ink[p] < inkThreshold ? (byte)255 : (byte)0;
        System.Runtime.InteropServices.Marshal.Copy(bytes, 0, paper.Data, bytes.Length);
        using var labels = new Mat();
        int count = Cv2.ConnectedComponents(paper, labels, PixelConnectivity.Connectivity4, MatType.CV_32S);
        var label = new int[ink.Length];
        System.Runtime.InteropServices.Marshal.Copy(labels.Data, label, 0, label.Length);
        var area = new int[count];
        foreach (int l in label)
            area[l]++;
        cancellationToken.ThrowIfCancellationRequested();
        // one seed per region; the barrier fill then colours ink and specks from their neighbours
        var seeds = new int[ink.Length];
        for (int p = 0; p < seeds.Length; p++)
            seeds[p] = label[p] == 0 || area[label[p]] < MinimumRegion ? -1 : Palette(label[p]);
        return HintSeeds.Any(seeds) ? InkBarrierFlats.Fill(width, height, ink, seeds, gap, cancellationToken) : Enumerable.Repeat(Palette(1), ink.Length).ToArray();
    }

    // Light hues a golden angle apart, so neighbouring labels differ clearly.
    private static int Palette(int index)
    {
        double hue = index * 137.508 % 360;
        double s = 0.45, l = 0.8;
        double c = (1 - Math.Abs(2 * l - 1)) * s, x = c * (1 - Math.Abs(hue / 60 % 2 - 1)), m = l - c / 2;
        var (r, g, b) = (int)(hue / 60) switch
        {
            0 => (c, x, 0.0),
            1 => (x, c, 0.0),
            2 => (0.0, c, x),
            3 => (0.0, x, c),
            4 => (x, 0.0, c),
            _ => (c, 0.0, x),
        };
        return ((int)Math.Round((r + m) * 255) << 16) | ((int)Math.Round((g + m) * 255) << 8) | (int)Math.Round((b + m) * 255);
    }
}
