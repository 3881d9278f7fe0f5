using OpenCvSharp;

namespace EditorBridge.Engines.Classic;

/// <summary>
/// Blends an object layer into a background: its colours matched at the seam
/// (<see cref="SeamColourMatch"/>), laid over the background by its alpha, then (unless pasting)
/// OpenCV's seamless clone (Pérez et al.'s Poisson editing) of that composite over the object's
/// area grown by a few pixels, so the seam falls in the background and the gradients inside are
/// the object's. Pixels outside that area are the background's, exactly.
/// </summary>
internal static class PoissonCompose
{
    public const int SeamMargin = 3;

    /// <param name="region">8-bit, 255 where the result may change (the object's area ∩ the selection).</param>
    public static byte[] Compose(EngineImage background, EngineImage layer, Mat region, string method, double colourMatch)
    {
        using var backgroundBgr = RgbaMat.Bgr(background);
        using var objectBgr = RgbaMat.Bgr(layer);
        using var objectAlpha = RgbaMat.Alpha(layer);
        using var objectArea = new Mat();
        Cv2.Threshold(objectAlpha, objectArea, 0, 255, ThresholdTypes.Binary);
        Cv2.BitwiseAnd(objectArea, region, objectArea);
        using var matched = SeamColourMatch.Apply(objectBgr, backgroundBgr, objectArea, colourMatch);

        // the object over the background, by the object's alpha
        using var weight = new Mat();
        objectAlpha.ConvertTo(weight, MatType.CV_32F, 1 / 255.0);
        using var weight3 = new Mat();
        Cv2.Merge([weight, weight, weight], weight3);
        using var objectFloat = new Mat();
        using var backgroundFloat = new Mat();
        matched.ConvertTo(objectFloat, MatType.CV_32FC3);
        backgroundBgr.ConvertTo(backgroundFloat, MatType.CV_32FC3);
        using var over = new Mat();
        Cv2.Subtract(objectFloat, backgroundFloat, over);
        Cv2.Multiply(over, weight3, over);
        Cv2.Add(over, backgroundFloat, over);
        using var pasted = new Mat();
        over.ConvertTo(pasted, MatType.CV_8UC3);

        using var changeable = new Mat();
        if (method == ComposeMethod.Paste)
            objectArea.CopyTo(changeable);
        else
        {
            using var kernel = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Size(2 * SeamMargin + 1, 2 * SeamMargin + 1));
            Cv2.Dilate(objectArea, changeable, kernel);
            Cv2.BitwiseAnd(changeable, region, changeable);
        }

        using var result = method == ComposeMethod.Paste
            ? pasted.Clone()
            : Clone(pasted, backgroundBgr, changeable, method == ComposeMethod.Mixed ? SeamlessCloneFlags.MixedClone : SeamlessCloneFlags.NormalClone);
        var pixels = RgbaMat.ToRgba(result, background);
        var area = RgbaMat.Bytes(changeable);
        for (int p = 0; p < area.Length; p++)
        {
            if (area[p] == 0)
            {
                Buffer.BlockCopy(background.Pixels, p * 4, pixels, p * 4, 4);
                continue;
            }

            // alpha: the object over the background
            int a = layer.Pixels[p * 4 + 3], b = background.Pixels[p * 4 + 3];
            pixels[p * 4 + 3] = (byte)(a + (b * (255 - a) + 127) / 255);
        }

        return pixels;
    }

    // seamlessClone needs the area clear of the picture's edge: work on a mirrored, padded copy.
    private static Mat Clone(Mat source, Mat destination, Mat area, SeamlessCloneFlags method)
    {
        const int Pad = 4;
        using var paddedSource = new Mat();
        using var paddedDestination = new Mat();
        using var paddedArea = new Mat();
        Cv2.CopyMakeBorder(source, paddedSource, Pad, Pad, Pad, Pad, BorderTypes.Reflect101);
        Cv2.CopyMakeBorder(destination, paddedDestination, Pad, Pad, Pad, Pad, BorderTypes.Reflect101);
        Cv2.CopyMakeBorder(area, paddedArea, Pad, Pad, Pad, Pad, BorderTypes.Constant, Scalar.All(0));
        var box = Cv2.BoundingRect(paddedArea);
        // OpenCV places the area's bounding box centred on this point: its own centre keeps it in place
        var centre = new Point(box.X + box.Width / 2, box.Y + box.Height / 2);
        using var blended = new Mat();
        Cv2.SeamlessClone(paddedSource, paddedDestination, paddedArea, centre, blended, method);
        return new Mat(blended, new Rect(Pad, Pad, source.Cols, source.Rows)).Clone();
    }
}
