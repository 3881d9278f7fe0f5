using EditorBridge.Imaging;

namespace EditorBridge.PaintDotNet.Core;

/// <summary>
/// A finished job, cached for the effect's tiles: the result layer from the daemon, the selection
/// it was made for, and where it came from. Immutable, so Paint.NET may render from it on many
/// threads and as often as it likes.
/// </summary>
public sealed class JobOutcome
{
    public JobOutcome(int canvasWidth, int canvasHeight, BgraImage result, SelectionMask? selection, string engine, string device, ulong seed, double totalMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(result);
        var canvas = new PixelRect(0, 0, canvasWidth, canvasHeight);
        if (!canvas.Contains(result.Bounds))
            throw new InvalidDataException($"the result layer ({result.Bounds}) reaches outside the picture ({canvas})");
        CanvasWidth = canvasWidth;
        CanvasHeight = canvasHeight;
        Result = result;
        Selection = selection;
        Engine = engine;
        Device = device;
        Seed = seed;
        TotalMilliseconds = totalMilliseconds;
        SelectionFingerprint = selection is null ? WholeCanvas : MaskFingerprint.Of(selection);
    }

    private const string WholeCanvas = "whole-canvas";

    public int CanvasWidth { get; }

    public int CanvasHeight { get; }

    /// <summary>The daemon's result layer (BGRA), covering the selection's bounding box.</summary>
    public BgraImage Result { get; }

    /// <summary>The selection the job ran for; null = the whole layer.</summary>
    public SelectionMask? Selection { get; }

    public string Engine { get; }

    public string Device { get; }

    /// <summary>The installed model that served the job; empty when none did.</summary>
    public string Model { get; init; } = "";

    /// <summary>
    /// How the pixels went to the daemon and back ("shared-memory / shared-memory" on one machine;
    /// "bytes (shared memory refused: ...) / bytes" when the .NET client fell back).
    /// </summary>
    public string PixelsPath { get; init; } = "";

    public ulong Seed { get; }

    public double TotalMilliseconds { get; }

    public string SelectionFingerprint { get; }

    /// <summary>
    /// True when this result was made for the document's current canvas and selection, so it may be
    /// rendered into it (a repeated effect on another selection must not paste an old result).
    /// </summary>
    public bool Fits(IHostDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.CanvasWidth != CanvasWidth || document.CanvasHeight != CanvasHeight)
            return false;
        SelectionMask? current;
        try
        {
            current = JobInput.ReadSelection(document, requiresMask: false);
        }
        catch (EditorBridgeProblem)
        {
            return false;
        }

        return current is null ? Selection is null : MaskFingerprint.Of(current) == SelectionFingerprint;
    }
}
