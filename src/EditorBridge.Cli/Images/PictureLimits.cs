using EditorBridge.Protocol.V1;

namespace EditorBridge.Cli.Images;

/// <summary>
/// Compares the sizes in the pictures' headers with the limits the daemon advertises (GetInfo)
/// before any picture is decoded: a picture over them is refused in a moment, naming the limit,
/// instead of after reading gigabytes and sending them.
/// </summary>
public static class PictureLimits
{
    /// <param name="layer">The picture the job works on.</param>
    /// <param name="others">The mask and extra pictures (--input) sent with it.</param>
    public static void Check(Limits? limits, PictureInput layer, IEnumerable<PictureInput> others)
    {
        if (limits is null)
            return;
        // (the request's size in bytes the daemon checks itself before reading it; the CLI may send less than the whole files)
        foreach (var picture in others.Prepend(layer))
        {
            if (limits.MaxSide > 0 && Math.Max(picture.Width, picture.Height) > limits.MaxSide)
                throw new TooLargeException($"{Name(picture)}{picture.Width}x{picture.Height}: {Math.Max(picture.Width, picture.Height)} pixels a side is over the daemon's limit of {limits.MaxSide} (EditorBridge:Limits:MaxSide)");
            if (limits.MaxPixels > 0 && picture.Pixels > limits.MaxPixels)
                throw new TooLargeException($"{Name(picture)}{picture.Width}x{picture.Height} = {picture.Pixels} pixels is over the daemon's limit of {limits.MaxPixels} pixels (EditorBridge:Limits:MaxPixels)");
        }
    }

    public const string MaskRole = "--mask";

    private static string Name(PictureInput picture) => picture.Role == "picture" ? $"{picture.Path}: " : $"{picture.Role} {picture.Path}: ";
}

/// <summary>A picture over the daemon's advertised limits, found before sending it (exit 4, "too large: …").</summary>
public sealed class TooLargeException(string message) : Exception(message);
