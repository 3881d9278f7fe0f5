using EditorBridge.Protocol.V1;

namespace EditorBridge.PaintDotNet.Core;

/// <summary>
/// One extra picture the operation takes (GetInfo's <c>OperationInfo.inputs</c>: hints, reference,
/// object) and the picture the painter chose for it: "" = none, else a name from <see cref="IPictureSource.Names"/>.
/// </summary>
public sealed class InputField(InputInfo info, IReadOnlyList<string> sources)
{
    public const string None = "";

    public string Name => info.Name;

    public string Label => $"{char.ToUpperInvariant(info.Name[0])}{info.Name[1..]} picture";

    public string Description => info.Description;

    public bool Required => info.Required;

    /// <summary>True: placed on the canvas (cut to the pixels sent); false: a free picture sent whole.</summary>
    public bool CanvasAligned => info.CanvasAligned;

    /// <summary>"" (none) first, then the pictures on offer.</summary>
    public IReadOnlyList<string> Choices { get; } = [None, .. sources];

    public string Choice { get; set; } = None;

    /// <summary>The problem to show before running, or null.</summary>
    public string? Error => Required && Choice == None
        ? $"{Label}: this operation needs it. Copy the picture (Ctrl+C), then choose Clipboard here."
        : Choice != None && !Choices.Contains(Choice) ? $"{Label}: '{Choice}' is not on offer any more" : null;
}
