using EditorBridge.Engines;
using OpenCvSharp;

namespace EditorBridge.Engines.Classic;

/// <summary>OpenCV's diffusion inpainting (Telea's fast marching, Navier–Stokes) on RGBA work areas.</summary>
internal static class DiffusionFill
{
    public static Task<byte[]> RunAsync(EngineImage image, EngineMask mask, string method, double radius, CancellationToken cancellationToken)
    {
        var flags = method == FillMethod.NavierStokes ? InpaintTypes.NS : InpaintTypes.Telea;
        // OpenCV cannot be interrupted mid-call: the job ends at cancel, the native call finishes alone.
        return Task.Run(() => Fill(image, mask, flags, radius), cancellationToken).WaitAsync(cancellationToken);
    }

    public static byte[] Fill(EngineImage image, EngineMask mask, InpaintTypes flags, double radius)
    {
        using var hole = Mat.FromPixelData(mask.Height, mask.Width, MatType.CV_8UC1, mask.Coverage);
        return ColourAndAlpha.Apply(image, (source, filled) => Cv2.Inpaint(source, hole, filled, radius, flags));
    }
}
