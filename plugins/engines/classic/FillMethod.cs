namespace EditorBridge.Engines.Classic;

/// <summary>The fill algorithms, by their parameter value.</summary>
internal static class FillMethod
{
    public const string Auto = "auto";
    public const string Telea = "telea";
    public const string NavierStokes = "ns";
    public const string Frequency = "fsr";
    public const string Exemplar = "exemplar";

    public static readonly string[] All = [Auto, Telea, NavierStokes, Frequency, Exemplar];
}
