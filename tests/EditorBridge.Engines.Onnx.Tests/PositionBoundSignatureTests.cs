using EditorBridge.ModelStore;
using EditorBridge.Testing;
using EditorBridge.TinyModels.ImageModels;

namespace EditorBridge.Engines.Onnx.Tests;

/// <summary>
/// CheckModel on a signature marked bindByPosition (a catalog entry whose tensor names the publisher does
/// not document): the graph's names are taken into the folder's manifest when counts, ranks, data types
/// and fixed dimensions agree by position; a real mismatch is refused with the usual sentence.
/// </summary>
public sealed class PositionBoundSignatureTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly OnnxEngine engine = new();

    public void Dispose()
    {
        engine.Dispose();
        temp.Dispose();
    }

    private string Folder(string name) => Path.Combine(temp.Path, name);

    /// <summary>The tiny upscaler's signature with names its graph does not have ("input"/"output" are the graph's).</summary>
    public static ModelSignature GuessedNames(bool bindByPosition) => TinyEsrgan.Signature() with
    {
        Inputs = [TinyEsrgan.Signature().Inputs[0] with { Name = "lr" }],
        Outputs = [TinyEsrgan.Signature().Outputs[0] with { Name = "sr" }],
        BindByPosition = bindByPosition,
    };

    [Fact]
    public void Guessed_names_bound_by_position_are_replaced_by_the_graphs_in_the_folders_manifest()
    {
        TinyModelFolder.Write(Folder("esrgan"), "guessed-esrgan", ModelKind.Upscale, "restore", TinyEsrgan.Graph(), GuessedNames(true), "");

        Assert.Empty(engine.CheckModel(Folder("esrgan"), ModelKind.Upscale));

        var signature = ModelManifest.Load(Folder("esrgan")).Signature!;
        Assert.Equal(("input", "output"), (signature.Inputs[0].Name, signature.Outputs[0].Name));
        Assert.Equal(TinyEsrgan.Signature().Inputs[0].Shape, signature.Inputs[0].Shape);
        Assert.Equal(TinyEsrgan.Scale, signature.Scale);
    }

    [Fact]
    public void The_same_guessed_names_without_the_mark_are_refused_as_before()
    {
        TinyModelFolder.Write(Folder("esrgan"), "guessed-esrgan", ModelKind.Upscale, "restore", TinyEsrgan.Graph(), GuessedNames(false), "");

        var problems = engine.CheckModel(Folder("esrgan"), ModelKind.Upscale);

        Assert.Contains("model 'guessed-esrgan': the ONNX file has no input 'lr' (its inputs: 'input')", problems);
        Assert.Contains("model 'guessed-esrgan': the ONNX file has no output 'sr' (its outputs: 'output')", problems);
        Assert.Equal("lr", ModelManifest.Load(Folder("esrgan")).Signature!.Inputs[0].Name);
    }

    [Fact]
    public void A_data_type_mismatch_by_position_is_refused_naming_the_graphs_tensor_and_nothing_is_rewritten()
    {
        var signature = GuessedNames(true) with { Inputs = [GuessedNames(true).Inputs[0] with { DataType = "float16" }] };
        TinyModelFolder.Write(Folder("half"), "half-esrgan", ModelKind.Upscale, "restore", TinyEsrgan.Graph(), signature, "");

        var problem = Assert.Single(engine.CheckModel(Folder("half"), ModelKind.Upscale));

        Assert.Equal("model 'half-esrgan': input 'input' is float32 in the ONNX file but float16 in its manifest", problem);
        Assert.Equal("lr", ModelManifest.Load(Folder("half")).Signature!.Inputs[0].Name);
    }

    [Fact]
    public void A_fixed_size_mismatch_by_position_is_refused()
    {
        var signature = TinyLama.Signature(256) with
        {
            Inputs = [.. TinyLama.Signature(256).Inputs.Select((t, i) => t with { Name = $"in{i}" })],
            BindByPosition = true,
        };
        TinyModelFolder.Write(Folder("lama"), "odd-lama", ModelKind.Inpaint, "fill", TinyLama.Graph(), signature, "");

        var problems = engine.CheckModel(Folder("lama"), ModelKind.Inpaint);

        Assert.Contains("model 'odd-lama': input 'image' dimension 2 is 512 in the ONNX file but 256 in its manifest", problems);
        Assert.Contains("model 'odd-lama': input 'mask' dimension 3 is 512 in the ONNX file but 256 in its manifest", problems);
    }

    [Fact]
    public void A_count_that_does_not_fit_is_refused_with_both_counts()
    {
        var extra = new TensorDescription("mask", "mask", [1, 1, -1, -1], Range: [0, 1], Channels: "l");
        var signature = GuessedNames(true) with { Inputs = [.. GuessedNames(true).Inputs, extra] };
        TinyModelFolder.Write(Folder("two"), "two-input-esrgan", ModelKind.Upscale, "restore", TinyEsrgan.Graph(), signature, "");

        var problem = Assert.Single(engine.CheckModel(Folder("two"), ModelKind.Upscale));

        Assert.Equal("model 'two-input-esrgan': its manifest signature binds 2 input(s) by position, but the ONNX file takes 1 ('input')", problem);
    }

    [Fact]
    public void The_built_in_catalogs_u2netp_entry_takes_the_names_of_a_graph_shaped_like_rembgs()
    {
        var entry = ModelStore.Catalog.ModelCatalog.BuiltIn.Get("u2netp");
        TinyModelFolder.Write(Folder("u2netp"), entry.Name, entry.Kind, "segment", TinySegmenter.Graph(), entry.Signature!, "");

        Assert.Empty(engine.CheckModel(Folder("u2netp"), entry.Kind));

        var bound = ModelManifest.Load(Folder("u2netp")).Signature!;
        Assert.Equal(("input.1", "1959"), (bound.Inputs[0].Name, bound.Outputs[0].Name));
        Assert.Equal(entry.Signature!.Inputs[0].Mean, bound.Inputs[0].Mean);
    }

    [Fact]
    public void Inputs_bind_in_the_graphs_order()
    {
        var signature = TinyLama.Signature() with
        {
            Inputs = [.. TinyLama.Signature().Inputs.Select((t, i) => t with { Name = $"in{i}" })],
            Outputs = [TinyLama.Signature().Outputs[0] with { Name = "filled" }],
            BindByPosition = true,
        };
        TinyModelFolder.Write(Folder("lama"), "guessed-lama", ModelKind.Inpaint, "fill", TinyLama.Graph(), signature, "");

        Assert.Empty(engine.CheckModel(Folder("lama"), ModelKind.Inpaint));

        var bound = ModelManifest.Load(Folder("lama")).Signature!;
        Assert.Equal([("image", "image"), ("mask", "mask")], bound.Inputs.Select(t => (t.Name, t.Role)));
        Assert.Equal("output", bound.Outputs[0].Name);
    }
}
