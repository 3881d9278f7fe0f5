namespace EditorBridge.Engines;

/// <summary>
/// One operation to run on a work area the daemon prepared. <see cref="Parameters"/> holds every
/// declared parameter (defaults filled in, types and ranges already checked) as
/// <see cref="double"/>, <see cref="bool"/> or <see cref="string"/>. <see cref="Image"/> is read
/// only (it may share memory with the painter's layer): return new pixels. <see cref="Mask"/> is
/// null when the operation works on the whole image. <see cref="Inputs"/> holds the extra pictures
/// the request gave, by name (see <see cref="InputDescriptor"/>): canvas-aligned ones are the work
/// image's size; the others keep their own proportions.
/// </summary>
public sealed record EngineRequest(
    string Operation,
    EngineImage Image,
    EngineMask? Mask,
    IReadOnlyDictionary<string, object> Parameters,
    ulong Seed,
    string Prompt,
    string NegativePrompt)
{
    private static readonly IReadOnlyDictionary<string, EngineImage> NoInputs = new Dictionary<string, EngineImage>();

    public IReadOnlyDictionary<string, EngineImage> Inputs { get; init; } = NoInputs;

    /// <summary>The installed model the request chose by name; empty: the engine's default for the operation.</summary>
    public string Model { get; init; } = "";

    /// <summary>The input called <paramref name="name"/>, or null when the request did not give it.</summary>
    public EngineImage? Input(string name) => Inputs.TryGetValue(name, out var image) ? image : null;

    public double Number(string name) => Convert.ToDouble(Parameters[name], System.Globalization.CultureInfo.InvariantCulture);

    public int Integer(string name) => (int)Math.Round(Number(name));

    public string Text(string name) => (string)Parameters[name];

    public bool Flag(string name) => (bool)Parameters[name];
}
