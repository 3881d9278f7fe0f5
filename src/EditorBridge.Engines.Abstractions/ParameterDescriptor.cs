namespace EditorBridge.Engines;

public enum ParameterKind
{
    Number,
    Integer,
    Boolean,
    Choice,
    Text,
}

/// <summary>
/// One parameter of an operation. <see cref="Default"/> is a <see cref="double"/>,
/// <see cref="bool"/> or <see cref="string"/> according to <see cref="Kind"/>.
/// </summary>
/// <param name="Axis">Not <see cref="CanvasAxis.None"/>: a canvas coordinate (Number), checked against the layer and converted to work-image pixels by the daemon.</param>
/// <param name="Required">The request must give it; <see cref="Default"/> is then only a placeholder.</param>
public sealed record ParameterDescriptor(
    string Name,
    ParameterKind Kind,
    string Description,
    object Default,
    double? Minimum = null,
    double? Maximum = null,
    IReadOnlyList<string>? Choices = null,
    CanvasAxis Axis = CanvasAxis.None,
    bool Required = false);
