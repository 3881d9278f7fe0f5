using System.Diagnostics;
using EditorBridge.Imaging;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using OpenCvSharp;

namespace EditorBridge.Bench;
/// <summary>The colorize section of <see cref="QualityBenchmark"/>: true colours given at a random share of the pixels.</summary>
internal static partial class QualityBenchmark
{
    private static async Task ColorizeAsync(RunningDaemon daemon, RgbaPicture[] pictures)
    {
        var colour = pictures.Where(IsColour).ToArray();
        Console.WriteLine($"\n## colorize: the grey picture with true colours given at a random share of its pixels, PSNR / SSIM against the colour original ({colour.Length} colour pictures)");
        Console.WriteLine("| hints | grey (no colorize) | nearest hint's chroma (no edges) | ours (optimization) |");
        Console.WriteLine("| --- | --- | --- | --- |");
        foreach (double share in new[] { 0.01, 0.05 })
        {
            var sums = new Dictionary<string, (double Psnr, double Ssim)>();
            for (int i = 0; i < colour.Length; i++)
            {
                var original = colour[i];
                var (grey, hints) = GreyWithHints(original, share, seed: 200 + i);
                Add(sums, "grey", Score(original, grey.Rgba, null));
                Add(sums, "nearest", Score(original, NearestHintChroma(grey, hints), null));
                var request = Request("colorize", grey, null, new() { ["mode"] = Value.ForString("photo") });
                request.Inputs["hints"] = WireRequests.Layer(hints);
                var result = await daemon.Client.RunJobAsync(request);
                Add(sums, "ours", Score(original, result.Layer.Data.ToByteArray(), null));
            }

            int n = colour.Length;
            Console.WriteLine($"| {share:P0} | {Cell(sums["grey"], n)} | {Cell(sums["nearest"], n)} | {Cell(sums["ours"], n)} |");
        }
    }

    private static bool IsColour(RgbaPicture picture)
    {
        for (int p = 0; p < picture.Rgba.Length; p += 4)
        {
            if (picture.Rgba[p] != picture.Rgba[p + 1] || picture.Rgba[p + 1] != picture.Rgba[p + 2])
                return true;
        }

        return false;
    }

    private static (RgbaPicture Grey, RgbaPicture Hints) GreyWithHints(RgbaPicture picture, double share, int seed)
    {
        var random = new Random(seed);
        var grey = (byte[])picture.Rgba.Clone();
        var hints = new byte[grey.Length];
        for (int p = 0; p < grey.Length; p += 4)
        {
            byte y = (byte)Math.Round(0.299 * grey[p] + 0.587 * grey[p + 1] + 0.114 * grey[p + 2]);
            if (random.NextDouble() < share)
                Buffer.BlockCopy(picture.Rgba, p, hints, p, 4);
            grey[p] = grey[p + 1] = grey[p + 2] = y;
        }

        return (picture with { Rgba = grey }, picture with { Rgba = hints });
    }

    // A simple baseline: each pixel gets the chroma (YCrCb) of its nearest hint, its own luminance.
    private static byte[] NearestHintChroma(RgbaPicture grey, RgbaPicture hints)
    {
        int w = grey.Width, h = grey.Height;
        using var none = new Mat(h, w, MatType.CV_8UC1);
        var hinted = new byte[w * h];
        for (int p = 0; p < hinted.Length; p++)
            hinted[p] = hints.Rgba[p * 4 + 3] != 0 ? (byte)0 : (byte)255;
        System.Runtime.InteropServices.Marshal.Copy(hinted, 0, none.Data, hinted.Length);
        using var distance = new Mat();
        using var labels = new Mat();
        Cv2.DistanceTransformWithLabels(none, distance, labels, DistanceTypes.L2, DistanceTransformMasks.Precise, DistanceTransformLabelTypes.Pixel);
        var label = new int[w * h];
        System.Runtime.InteropServices.Marshal.Copy(labels.Data, label, 0, label.Length);
        var source = new Dictionary<int, int>();
        for (int p = 0; p < hinted.Length; p++)
        {
            if (hinted[p] == 0)
                source[label[p]] = p;
        }

        var result = (byte[])grey.Rgba.Clone();
        for (int p = 0; p < hinted.Length; p++)
        {
            int q = source[label[p]] * 4;
            double r = hints.Rgba[q], g = hints.Rgba[q + 1], b = hints.Rgba[q + 2];
            double y0 = 0.299 * r + 0.587 * g + 0.114 * b, y = grey.Rgba[p * 4];
            result[p * 4] = (byte)Math.Clamp(Math.Round(y + (r - y0)), 0, 255);
            result[p * 4 + 1] = (byte)Math.Clamp(Math.Round(y + (g - y0)), 0, 255);
            result[p * 4 + 2] = (byte)Math.Clamp(Math.Round(y + (b - y0)), 0, 255);
        }

        return result;
    }
}
