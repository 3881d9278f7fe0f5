namespace EditorBridge.Inference;

/// <summary>
/// How a model takes pictures, from its signature: <see cref="Tile"/> the largest tile side (0:
/// whole picture), <see cref="Overlap"/> pixels shared with each neighbour, <see cref="Scale"/>
/// output ÷ input size, <see cref="FixedSize"/> the only square size the model accepts (0: any),
/// <see cref="SizeMultiple"/> what sides must be a multiple of. Tiles smaller than the model needs
/// are padded by repeating their edge pixels, and the padding is cut off the answer.
/// </summary>
public sealed record TileSettings(int Tile = 0, int Overlap = 0, int Scale = 1, int FixedSize = 0, int SizeMultiple = 1)
{
    /// <summary>The tile side used: the fixed size when the model has one, else the tile (0: whole picture).</summary>
    public int Side => FixedSize > 0 ? FixedSize : Tile;

    /// <summary>The input size the model is fed for a tile of <paramref name="width"/> × <paramref name="height"/>.</summary>
    public (int Width, int Height) ModelSize(int width, int height) =>
        FixedSize > 0 ? (FixedSize, FixedSize) : (RoundUp(width), RoundUp(height));

    private int RoundUp(int side) => SizeMultiple <= 1 ? side : (side + SizeMultiple - 1) / SizeMultiple * SizeMultiple;
}
