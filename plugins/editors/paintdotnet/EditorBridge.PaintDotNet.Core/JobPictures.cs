using EditorBridge.Imaging;
namespace EditorBridge.PaintDotNet.Core;

/// <summary>Reads the pictures chosen for an operation's inputs, as the daemon takes them.</summary>
public static class JobPictures
{
    /// <summary>
    /// The chosen pictures by input name: a canvas-aligned one cut to <paramref name="layerArea"/>
    /// (the pixels sent; transparent where the picture does not reach), a free one whole.
    /// Throws <see cref="EditorBridgeProblem"/> when a chosen picture is gone or misses the area.
    /// </summary>
    public static IReadOnlyDictionary<string, BgraImage> Capture(IPictureSource? source, IEnumerable<InputField> fields, PixelRect layerArea, PixelRect selectionBounds)
    {
        var result = new Dictionary<string, BgraImage>(StringComparer.Ordinal);
        foreach (var field in fields.Where(f => f.Choice != InputField.None))
        {
            var picture = source?.Read(field.Choice, selectionBounds)
                ?? throw new EditorBridgeProblem(ProblemKind.JobFailed, $"{field.Label}: '{field.Choice}' has no picture any more (copy it again).");
            if (!field.CanvasAligned)
            {
                result[field.Name] = picture;
                continue;
            }

            var overlap = picture.Bounds.Intersect(layerArea);
            if (overlap.IsEmpty)
                throw new EditorBridgeProblem(ProblemKind.JobFailed, $"{field.Label}: the picture lies outside the area being worked on.");
            var placed = new BgraImage(layerArea, new byte[layerArea.Area * BgraImage.BytesPerPixel]);
            for (int y = overlap.Y; y < overlap.Bottom; y++)
                picture.Row(y, overlap.X, overlap.Width).CopyTo(placed.Row(y, overlap.X, overlap.Width));
            result[field.Name] = placed;
        }

        return result;
    }
}
