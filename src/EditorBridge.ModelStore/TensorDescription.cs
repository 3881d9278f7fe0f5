namespace EditorBridge.ModelStore;

/// <summary>
/// One input or output of an ONNX image model, enough for an engine to feed and read it without
/// model-specific code.
/// </summary>
/// <param name="Name">The ONNX graph's input/output name.</param>
/// <param name="Role">"image", "mask", "point", "box", "luminance", "chroma", "embeddings", …: what the engine puts in or reads out.</param>
/// <param name="Shape">Dimensions, NCHW for pictures; -1 for a free dimension (batch, height, width).</param>
/// <param name="DataType">"float32", "float16", "uint8", "int64".</param>
/// <param name="Range">The values that mean black and white (e.g. [0, 1], [-1, 1], [0, 255]).</param>
/// <param name="Channels">Channel order: "rgb", "bgr", "l" (one grey channel), "ab" (Lab chroma).</param>
/// <param name="Mean">Per-channel mean subtracted after scaling to Range (ImageNet-style normalisation); null: none.</param>
/// <param name="Std">Per-channel divisor after the mean; null: none.</param>
public sealed record TensorDescription(
    string Name,
    string Role,
    IReadOnlyList<long> Shape,
    string DataType = "float32",
    IReadOnlyList<double>? Range = null,
    string Channels = "rgb",
    IReadOnlyList<double>? Mean = null,
    IReadOnlyList<double>? Std = null);
