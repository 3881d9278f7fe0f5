namespace EditorBridge.Engines.Classic;

/// <summary>The restore methods, by their parameter value.</summary>
internal static class RestoreMethod
{
    public const string Auto = "auto";
    public const string Denoise = "denoise";
    public const string Deblur = "deblur";
    public const string Upscale = "upscale";

    public static readonly string[] All = [Auto, Denoise, Deblur, Upscale];
}
