using EditorBridge.ModelStore;
using EditorBridge.Testing;
using EditorBridge.TinyModels.ImageModels;

namespace EditorBridge.Engines.Onnx.Tests;

/// <summary>
/// A model store folder holding a tiny model of every onnx kind (two styles), as the store installs
/// them: one folder per model with its manifest. The upscaler tiles at 48 px so small test pictures
/// already go through several tiles.
/// </summary>
public sealed class TinyStore : IDisposable
{
    public const string Lama = "tiny-lama";
    public const string Esrgan = "tiny-esrgan-x4";
    public const string Colorizer = "tiny-colorizer";
    public const string Sepia = "tiny-style-sepia";
    public const string CoolStyle = "tiny-style-cool";
    public const string Segmenter = "tiny-segmenter";

    /// <summary>An upscaler whose manifest names an input the ONNX file does not have.</summary>
    public const string Mismatched = "zz-mismatched-upscaler";

    private readonly TempDirectory directory = new("models");

    public TinyStore()
    {
        Manifests[Lama] = TinyLama.Write(Folder(Lama));
        Manifests[Esrgan] = TinyEsrgan.Write(Folder(Esrgan), tile: 48, overlap: 12);
        Manifests[Colorizer] = TinyColorizer.Write(Folder(Colorizer));
        Manifests[Sepia] = TinyStyle.Write(Folder(Sepia), Sepia, TinyStyle.Sepia);
        Manifests[CoolStyle] = TinyStyle.Write(Folder(CoolStyle), CoolStyle, TinyStyle.Cool);
        Manifests[Segmenter] = TinySegmenter.Write(Folder(Segmenter));
        Manifests[Mismatched] = WriteMismatched(Folder(Mismatched));
    }

    public string Path => directory.Path;

    public Dictionary<string, ModelManifest> Manifests { get; } = [];

    public string Folder(string name) => System.IO.Path.Combine(directory.Path, name);

    public void Dispose() => directory.Dispose();

    private static ModelManifest WriteMismatched(string folder)
    {
        var signature = TinyEsrgan.Signature() with
        {
            Inputs = [new TensorDescription("image", "image", [1, 3, -1, -1], Range: [0, 1])],
        };
        return TinyModelFolder.Write(folder, Mismatched, ModelKind.Upscale, "restore", TinyEsrgan.Graph(), signature, "manifest and graph disagree");
    }
}
