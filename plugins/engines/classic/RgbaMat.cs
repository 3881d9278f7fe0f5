using System.Runtime.InteropServices;
using OpenCvSharp;

namespace EditorBridge.Engines.Classic;

/// <summary>Conversions between the engine's RGBA8 byte arrays and OpenCV matrices.</summary>
internal static class RgbaMat
{
    /// <summary>The colour of <paramref name="image"/> as a new 8-bit BGR matrix (alpha dropped).</summary>
    public static Mat Bgr(EngineImage image)
    {
        using var rgba = Mat.FromPixelData(image.Height, image.Width, MatType.CV_8UC4, image.Pixels);
        var bgr = new Mat();
        Cv2.CvtColor(rgba, bgr, ColorConversionCodes.RGBA2BGR);
        return bgr;
    }

    /// <summary>The alpha channel as a new 8-bit matrix.</summary>
    public static Mat Alpha(EngineImage image)
    {
        using var rgba = Mat.FromPixelData(image.Height, image.Width, MatType.CV_8UC4, image.Pixels);
        var alpha = new Mat();
        Cv2.ExtractChannel(rgba, alpha, 3);
        return alpha;
    }

    /// <summary>
    /// RGBA8 pixels from a BGR matrix (8-bit, or float 0..255, rounded and clamped) with the alpha of
    /// <paramref name="alphaFrom"/>, which must be the same size.
    /// </summary>
    public static byte[] ToRgba(Mat bgr, EngineImage alphaFrom)
    {
        using var bytes = new Mat();
        if (bgr.Type() == MatType.CV_8UC3)
            bgr.CopyTo(bytes);
        else
            bgr.ConvertTo(bytes, MatType.CV_8UC3);
        using var rgba = new Mat();
        Cv2.CvtColor(bytes, rgba, ColorConversionCodes.BGR2RGBA);
        var result = Bytes(rgba);
        for (int p = 3; p < result.Length; p += 4)
            result[p] = alphaFrom.Pixels[p];
        return result;
    }

    /// <summary>The bytes of a matrix (copied; continuous or not).</summary>
    public static byte[] Bytes(Mat mat)
    {
        using var continuous = mat.IsContinuous() ? null : mat.Clone();
        var source = continuous ?? mat;
        var result = new byte[source.Total() * source.ElemSize()];
        Marshal.Copy(source.Data, result, 0, result.Length);
        return result;
    }

    /// <summary>The values of a single-channel float matrix.</summary>
    public static float[] Floats(Mat mat)
    {
        using var continuous = mat.IsContinuous() ? null : mat.Clone();
        var source = continuous ?? mat;
        var result = new float[source.Total() * source.Channels()];
        Marshal.Copy(source.Data, result, 0, result.Length);
        return result;
    }

    /// <summary>A new float matrix holding a copy of <paramref name="values"/>.</summary>
    public static Mat FromFloats(int height, int width, int channels, float[] values)
    {
        var mat = new Mat(height, width, MatType.CV_32FC(channels));
        Marshal.Copy(values, 0, mat.Data, values.Length);
        return mat;
    }
}
