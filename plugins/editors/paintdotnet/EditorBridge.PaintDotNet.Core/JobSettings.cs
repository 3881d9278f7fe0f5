using System.Collections.Immutable;

namespace EditorBridge.PaintDotNet.Core;

/// <summary>
/// What the painter chose in the dialog. <see cref="Parameters"/> values are <see cref="double"/>,
/// <see cref="bool"/> or <see cref="string"/>, keyed by the names GetInfo gave.
/// </summary>
public sealed record JobSettings
{
    public required string Operation { get; init; }

    /// <summary>Engine name; empty = the best installed engine offering the operation.</summary>
    public string Engine { get; init; } = "";

    /// <summary>Installed model name; empty = automatic (no model sent: the serving engine's default).</summary>
    public string Model { get; init; } = "";

    public string Prompt { get; init; } = "";

    public string NegativePrompt { get; init; } = "";

    public ImmutableSortedDictionary<string, object> Parameters { get; init; } = ImmutableSortedDictionary<string, object>.Empty;

    /// <summary>Random seed; null = the daemon picks one (reported in the result).</summary>
    public ulong? Seed { get; init; }

    /// <summary>
    /// Widen the selection by this many pixels before the job. Paint.NET clips an effect to the
    /// selection, so pixels changed outside it would be thrown away: 0 by default here.
    /// </summary>
    public int GrowPixels { get; init; }

    /// <summary>Soft edge inside the selection; null = the daemon's default.</summary>
    public int? FeatherPixels { get; init; }

    /// <summary>Results per OK (seeds s, s+1, ...), 1..<see cref="MaxCount"/>; the dialog shows them to pick from.</summary>
    public int Count { get; init; } = 1;

    /// <summary>The picture chosen per input name (see <see cref="InputField"/>); inputs not named get none.</summary>
    public ImmutableSortedDictionary<string, string> Inputs { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    public const int MaxCount = 8;
}
