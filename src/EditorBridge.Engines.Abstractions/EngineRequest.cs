namespace EditorBridge.Engines;

/// <summary>
/// One operation to run on a work area the daemon prepared. <see cref="Parameters"/> holds every
/// declared parameter (defaults filled in, types and ranges already checked) as
/// <see cref="double"/>, <see cref="bool"/> or <see cref="string"/>. <see cref="Image"/> is read
/// only (it may share memory with the painter's layer): return new pixels. <see cref="Mask"/> is
/// null when the operation works on the whole image.
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
    public double Number(string name) => Convert.ToDouble(Parameters[name], System.Globalization.CultureInfo.InvariantCulture);

    public int Integer(string name) => (int)Math.Round(Number(name));

    public string Text(string name) => (string)Parameters[name];

    public bool Flag(string name) => (bool)Parameters[name];
}
