using System.Security.Cryptography;
using EditorBridge.ModelStore;

namespace EditorBridge.Testing;

/// <summary>
/// Model folders for store, daemon and CLI tests: files of seeded random bytes with a correct
/// manifest, or a diffusers layout without one. The bytes are not real weights; engines that
/// need real graphs build them with TinyModels.
/// </summary>
public static class ModelFolders
{
    /// <summary>Writes <paramref name="files"/> into a new folder <paramref name="folderName"/> with a manifest describing them.</summary>
    public static (string Folder, ModelManifest Manifest) WithManifest(
        string parent, string folderName, string name, string kind, IReadOnlyList<string> operations, params (string Path, byte[] Content)[] files)
    {
        var folder = Path.Combine(parent, folderName);
        Directory.CreateDirectory(folder);
        foreach (var (path, content) in files)
            Write(folder, path, content);
        var manifest = new ModelManifest(
            name, kind, "1.0",
            [.. files.Select(f => new ModelFile(f.Path, f.Content.Length, Convert.ToHexStringLower(SHA256.HashData(f.Content))))],
            new ModelLicence("MIT", "https://opensource.org/licenses/MIT"),
            operations,
            Sources: ["https://example.invalid/" + name],
            Description: $"test model {name}");
        File.WriteAllText(Path.Combine(folder, ModelManifest.FileName), manifest.ToJson());
        return (folder, manifest);
    }

    /// <summary>A diffusers ONNX layout (no manifest) with an external weight file beside the UNet.</summary>
    public static string Diffusers(string parent, string folderName, bool controlNet, int seed = 1)
    {
        var folder = Path.Combine(parent, folderName);
        var files = DiffusersLayout.RequiredFiles.Append("unet/model.onnx_data");
        if (controlNet)
            files = files.Append(DiffusersLayout.ControlNet);
        foreach (var (path, index) in files.Select((p, i) => (p, i)))
            Write(folder, path, Bytes(200 + index * 37, seed * 100 + index));
        return folder;
    }

    public static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static void Write(string folder, string relative, byte[] content)
    {
        var path = Path.Combine([folder, .. relative.Split('/')]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
    }
}
