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
public sealed record ParameterDescriptor(
    string Name,
    ParameterKind Kind,
    string Description,
    object Default,
    double? Minimum = null,
    double? Maximum = null,
    IReadOnlyList<string>? Choices = null);
