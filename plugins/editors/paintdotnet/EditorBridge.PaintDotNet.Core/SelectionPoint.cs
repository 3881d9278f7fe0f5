namespace EditorBridge.PaintDotNet.Core;

/// <summary>A polygon vertex in canvas coordinates (pixel (x, y) covers [x, x+1) × [y, y+1)).</summary>
public readonly record struct SelectionPoint(double X, double Y);
