using System.Text.RegularExpressions;

namespace EditorBridge.ModelStore.Ncnn;

/// <summary>
/// The model families whose reference programs (nihui's *-ncnn-vulkan) are known, recognised by their
/// shipped file names: the name to install under, the licence, the upstream project, and what the
/// program does around the graph. All three feed RGB in 0..1 (pixel ÷ 255) and read RGB in 0..1.
/// Real-CUGAN mirrors the border (realcugan.cpp: copy_make_border type 2, the shader's abs()) and its
/// ×4 answer is a residual over the input enlarged by repeating pixels (postproc: inptr[j / 4]);
/// waifu2x and Real-ESRGAN repeat the edge (BORDER_REPLICATE, the shader's clamp()).
/// </summary>
internal sealed partial record NcnnFamily(string Family, string Name, ModelLicence? Licence, string? Upstream, NcnnRules Rules)
{
    public static NcnnFamily Of(string paramPath)
    {
        var stem = Path.GetFileNameWithoutExtension(paramPath);
        var folder = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(paramPath)) ?? "");
        if (stem.StartsWith("realesr", StringComparison.OrdinalIgnoreCase))
            return new("Real-ESRGAN", ModelName.FromFolderName(stem),
                new ModelLicence("BSD-3-Clause", "https://github.com/xinntao/Real-ESRGAN/blob/master/LICENSE"),
                "https://github.com/xinntao/Real-ESRGAN", new NcnnRules(ReflectBorder: false, AddsNearestInput: false));
        if (CuganName().Match(stem) is { Success: true } cugan)
            return new("Real-CUGAN", ModelName.FromFolderName("realcugan-" + stem),
                new ModelLicence("MIT", "https://github.com/bilibili/ailab/blob/main/Real-CUGAN/LICENSE"),
                "https://github.com/bilibili/ailab/tree/main/Real-CUGAN", new NcnnRules(ReflectBorder: true, AddsNearestInput: cugan.Groups[1].Value == "4"));
        if (stem.EndsWith("_model", StringComparison.Ordinal) && folder.StartsWith("models-", StringComparison.Ordinal))
            return new("waifu2x", ModelName.FromFolderName($"waifu2x-{Waifu2xVariant(folder[7..])}-{stem[..^6].Replace("scale2.0x", "scale2x", StringComparison.Ordinal)}"),
                new ModelLicence("MIT", "https://github.com/nagadomi/waifu2x/blob/master/LICENSE"),
                "https://github.com/nagadomi/waifu2x", new NcnnRules(ReflectBorder: false, AddsNearestInput: false));
        return new("ncnn", ModelName.FromFolderName(stem), null, null, new NcnnRules(ReflectBorder: false, AddsNearestInput: false));
    }

    private static string Waifu2xVariant(string folder) => folder.StartsWith("upconv_7", StringComparison.Ordinal) ? "upconv7" : folder;

    [GeneratedRegex("^up([234])x-")]
    private static partial Regex CuganName();
}
