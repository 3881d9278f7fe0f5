namespace EditorBridge.Imaging;

/// <summary>The size an engine works at: at most <c>maxSide</c> on the longer side, each side a multiple of <c>multiple</c>.</summary>
public static class WorkScale
{
    public static (int Width, int Height) Fit(int width, int height, int maxSide, int multiple)
    {
        multiple = Math.Max(1, multiple);
        double scale = maxSide > 0 && Math.Max(width, height) > maxSide ? (double)maxSide / Math.Max(width, height) : 1.0;
        return (Snap(width * scale, multiple, maxSide), Snap(height * scale, multiple, maxSide));
    }

    private static int Snap(double side, int multiple, int maxSide)
    {
        int snapped = Math.Max(multiple, (int)Math.Round(side / multiple) * multiple);
        while (maxSide > 0 && snapped > maxSide && snapped > multiple)
            snapped -= multiple;
        return snapped;
    }
}
