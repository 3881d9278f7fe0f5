namespace EditorBridge.Inference;

/// <summary>
/// One tile as the model takes it: RGBA8 pixels of <see cref="Width"/> × <see cref="Height"/>
/// (the model's size: edge pixels repeated past the picture), of which the top-left
/// <see cref="UsedWidth"/> × <see cref="UsedHeight"/> are the picture's.
/// </summary>
public sealed record TileInput(byte[] Rgba, int Width, int Height, int UsedWidth, int UsedHeight, int Index, int Count);
