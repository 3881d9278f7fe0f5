using EditorBridge.ModelStore;
using EditorBridge.Testing;
using EditorBridge.TinyModels.ImageModels;

namespace EditorBridge.Engines.Onnx.Tests;

/// <summary>CheckModel, which the store calls before installing: one clear sentence per problem, naming model, tensor and difference.</summary>
public sealed class CheckModelTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly OnnxEngine engine = new();

    public void Dispose()
    {
        engine.Dispose();
        temp.Dispose();
    }

    private string Folder(string name) => Path.Combine(temp.Path, name);

    [Fact]
    public void Every_tiny_model_passes_its_kinds_check()
    {
        TinyLama.Write(Folder("lama"));
        TinyEsrgan.Write(Folder("esrgan"));
        TinyColorizer.Write(Folder("colorizer"));
        TinyStyle.Write(Folder("style"), "style", TinyStyle.Sepia);
        TinySegmenter.Write(Folder("segmenter"));

        Assert.Empty(engine.CheckModel(Folder("lama"), ModelKind.Inpaint));
        Assert.Empty(engine.CheckModel(Folder("esrgan"), ModelKind.Upscale));
        Assert.Empty(engine.CheckModel(Folder("colorizer"), ModelKind.Colorize));
        Assert.Empty(engine.CheckModel(Folder("style"), ModelKind.Style));
        Assert.Empty(engine.CheckModel(Folder("segmenter"), ModelKind.Segment));
    }

    [Fact]
    public void A_kind_of_another_engine_is_not_checked_here()
    {
        Assert.Empty(engine.CheckModel(Folder("nothing-here"), ModelKind.Diffusion));
    }

    [Fact]
    public void A_wrong_data_type_names_the_model_the_tensor_and_both_types()
    {
        var signature = TinyEsrgan.Signature() with { Inputs = [new TensorDescription("input", "image", [1, 3, -1, -1], "float16")] };
        TinyModelFolder.Write(Folder("half"), "half-esrgan", ModelKind.Upscale, "restore", TinyEsrgan.Graph(), signature, "");

        var problem = Assert.Single(engine.CheckModel(Folder("half"), ModelKind.Upscale));

        Assert.Equal("model 'half-esrgan': input 'input' is float32 in the ONNX file but float16 in its manifest", problem);
    }

    [Fact]
    public void A_wrong_fixed_size_and_a_missing_output_are_each_named()
    {
        var signature = TinyLama.Signature(256) with { Outputs = [new TensorDescription("result", "image", [1, 3, 512, 512], Range: [0, 255])] };
        TinyModelFolder.Write(Folder("lama"), "odd-lama", ModelKind.Inpaint, "fill", TinyLama.Graph(), signature, "");

        var problems = engine.CheckModel(Folder("lama"), ModelKind.Inpaint);

        Assert.Contains("model 'odd-lama': input 'image' dimension 2 is 512 in the ONNX file but 256 in its manifest", problems);
        Assert.Contains("model 'odd-lama': input 'mask' dimension 3 is 512 in the ONNX file but 256 in its manifest", problems);
        Assert.Contains("model 'odd-lama': the ONNX file has no output 'result' (its outputs: 'output')", problems);
    }

    [Fact]
    public void A_signature_without_what_the_kind_needs_is_refused_before_opening_the_file()
    {
        TinySegmenter.Write(Folder("segmenter"));

        var problems = engine.CheckModel(Folder("segmenter"), ModelKind.Inpaint);

        Assert.Contains("model 'tiny-segmenter' (inpaint): its manifest signature has no input with role 'mask'", problems);
        Assert.Contains("model 'tiny-segmenter' (inpaint): its manifest signature has no output with role 'image'", problems);
    }

    [Fact]
    public void A_missing_signature_a_missing_file_and_a_file_that_is_no_model_are_named()
    {
        var manifest = TinyStyle.Write(Folder("style"), "style", TinyStyle.Cool);
        File.WriteAllText(Path.Combine(Folder("style"), ModelManifest.FileName), (manifest with { Signature = null }).ToJson());
        TinyStyle.Write(Folder("gone"), "gone", TinyStyle.Cool);
        File.Delete(Path.Combine(Folder("gone"), TinyModelFolder.ModelFile));
        TinyStyle.Write(Folder("text"), "text", TinyStyle.Cool);
        File.WriteAllText(Path.Combine(Folder("text"), TinyModelFolder.ModelFile), "not a model");

        Assert.Equal(["model 'style' (style): its manifest has no signature (inputs and outputs), so the onnx engine cannot feed it"], engine.CheckModel(Folder("style"), ModelKind.Style));
        Assert.Equal(["model 'gone': the signature's file 'model.onnx' is not in the folder"], engine.CheckModel(Folder("gone"), ModelKind.Style));
        Assert.StartsWith("model 'text': 'model.onnx' is not a model ONNX Runtime can load", Assert.Single(engine.CheckModel(Folder("text"), ModelKind.Style)));
    }
}
