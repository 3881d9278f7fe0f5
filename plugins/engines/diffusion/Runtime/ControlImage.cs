namespace EditorBridge.Engines.Diffusion.Runtime;

/// <summary>The ControlNet's conditioning image ([1, 3, H, W], 0..1) and how strongly its residuals count.</summary>
internal sealed record ControlImage(float[] Pixels, int Width, int Height, float Scale);
