namespace EditorBridge.ModelStore;

/// <summary>
/// How to run a single-graph image model: which file, its inputs and outputs, and the size rules
/// the engine must keep (fixed working size, multiples, upscale factor, tiling).
/// </summary>
/// <param name="File">The ONNX file, relative to the model's folder.</param>
/// <param name="FixedSize">The model only takes this square size (e.g. 512 for LaMa); 0: any size.</param>
/// <param name="SizeMultiple">Sides must be a multiple of this (e.g. 8); 1: any.</param>
/// <param name="Scale">Output size ÷ input size (4 for a ×4 upscaler); 1 otherwise.</param>
/// <param name="Tile">Largest tile side for tiled runs (bounded memory); 0: run whole.</param>
/// <param name="TileOverlap">Pixels each tile overlaps its neighbours, blended away.</param>
/// <param name="BindByPosition">
/// The tensor names are not known for sure (the publisher does not document them): the engine's check
/// binds the described inputs and outputs to the graph's by position and, when counts, ranks, data types
/// and fixed dimensions agree, writes the graph's real names into the staged manifest (see
/// <see cref="SignatureNameTaken"/>). False: the names must match exactly.
/// </param>
public sealed record ModelSignature(
    string File,
    IReadOnlyList<TensorDescription> Inputs,
    IReadOnlyList<TensorDescription> Outputs,
    int FixedSize = 0,
    int SizeMultiple = 1,
    int Scale = 1,
    int Tile = 0,
    int TileOverlap = 0,
    bool BindByPosition = false);
