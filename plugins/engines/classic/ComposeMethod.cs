namespace EditorBridge.Engines.Classic;

/// <summary>The compose methods, by their parameter value.</summary>
internal static class ComposeMethod
{
    public const string Seamless = "seamless";
    public const string Mixed = "mixed";
    public const string Paste = "paste";

    public static readonly string[] All = [Seamless, Mixed, Paste];
}
