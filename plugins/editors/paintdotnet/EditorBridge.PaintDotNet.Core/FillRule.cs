namespace EditorBridge.PaintDotNet.Core;

/// <summary>Which points of overlapping polygons count as inside.</summary>
public enum FillRule
{
    /// <summary>Inside where the winding number is not zero (a union of same-direction outlines).</summary>
    NonZero,

    /// <summary>Inside where an odd number of outlines enclose the point (overlaps become holes).</summary>
    EvenOdd,
}
