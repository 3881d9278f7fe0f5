using System.Buffers.Binary;
using EditorBridge.Testing;

namespace EditorBridge.ModelStore.Tests;

/// <summary>
/// ncnn models imported into the store (conversion in staging, no engine check here): a tiny generated
/// graph (a 2× nearest enlargement then a 3×3 convolution with float16 weights), and each way such a
/// pair of files can be wrong. Real trained models and their oracles: Engines.Onnx.Tests/Ncnn.
/// </summary>
public sealed class NcnnImportTests : IDisposable
{
    private const string Graph = """
        7767517
        3 3
        Input            in0     0 1 in0
        Interp           up      1 1 in0 1 0=1 1=2.000000e+00 2=2.000000e+00
        Convolution      conv    1 1 1 out0 0=3 1=3 4=1 5=1 6=81
        """;

    private readonly TempDirectory temp = new("ncnn-import");
    private readonly ModelStore store;
    private readonly ModelImport import;

    public NcnnImportTests()
    {
        store = new ModelStore(Path.Combine(temp.Path, "models"));
        import = new ModelImport(store);
    }

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_param_file_is_converted_and_installed_with_the_shipped_files_and_a_signature()
    {
        var param = Write("tiny", Graph, Weights(81, 3));

        var installed = import.Import(param, new ModelImportOptions(LicenceId: "MIT"));

        var manifest = installed.Manifest;
        Assert.Equal(("tiny", ModelKind.Upscale, "MIT"), (manifest.Name, manifest.Kind, manifest.Licence.Id));
        Assert.Equal(["model.onnx", "ncnn/tiny.bin", "ncnn/tiny.param"], manifest.Files.Select(f => f.Path).Order());
        var signature = manifest.Signature!;
        Assert.Equal((2, 1, "input", "output"), (signature.Scale, signature.SizeMultiple, signature.Inputs[0].Name, signature.Outputs[0].Name));
        Assert.Equal([0.0, 1.0], signature.Inputs[0].Range!);
        Assert.True(store.Verify("tiny").IsIntact);
    }

    [Fact]
    public void A_folder_holding_one_param_imports_it_and_one_holding_two_is_refused_naming_them()
    {
        var param = Write("one", Graph, Weights(81, 3));
        Assert.Equal("one", import.Import(Path.GetDirectoryName(param)!, new ModelImportOptions()).Manifest.Name);

        File.Copy(param, Path.Combine(Path.GetDirectoryName(param)!, "two.param"));
        var e = Assert.Throws<ModelStoreException>(() => import.Import(Path.GetDirectoryName(param)!, new ModelImportOptions(Name: "both")));
        Assert.Contains("holds 2 ncnn models (one.param, two.param)", e.Message);
    }

    [Theory]
    [InlineData("Softmax          soft    1 1 in0 out0", "layer 'soft' is of type Softmax, which the ncnn importer does not convert")]
    [InlineData("Pooling          pool    1 1 in0 out0 0=0 1=2 2=2", "Pooling 'pool': only global pooling is supported")]
    [InlineData("Convolution      conv    1 1 in0 out0 0=3 1=3 4=-233 5=1 6=81", "Convolution 'conv': automatic ('same') padding is not supported")]
    public void A_layer_the_converter_does_not_know_is_refused_naming_it_and_nothing_is_installed(string layer, string expected)
    {
        var param = Write("odd", $"7767517\n2 2\nInput in0 0 1 in0\n{layer}\n", Weights(81, 3));

        var e = Assert.Throws<ModelStoreException>(() => import.Import(param, new ModelImportOptions()));

        Assert.Contains(expected, e.Message);
        Assert.StartsWith("Model 'odd' was not imported: ncnn model 'odd.param': ", e.Message);
        Assert.Null(store.Find("odd"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(store.Root, ModelStore.StagingFolderName)));
    }

    [Fact]
    public void Weights_that_do_not_fit_the_graph_are_refused()
    {
        var longer = Write("long", Graph, [.. Weights(81, 3), 0, 0, 0, 0]);
        var shorter = Write("short", Graph, Weights(81, 3)[..100]);
        var quantised = Weights(81, 3);
        BinaryPrimitives.WriteUInt32LittleEndian(quantised, 0x000D4B38);
        var int8 = Write("int8", Graph, quantised);

        Assert.Contains("the weights file has 184 bytes but the graph reads 180", Assert.Throws<ModelStoreException>(() => import.Import(longer, new ModelImportOptions())).Message);
        Assert.Contains("Convolution 'conv': the weights file ends at byte 100", Assert.Throws<ModelStoreException>(() => import.Import(shorter, new ModelImportOptions())).Message);
        Assert.Contains("its weights are quantised (tag 0x000d4b38)", Assert.Throws<ModelStoreException>(() => import.Import(int8, new ModelImportOptions())).Message);
    }

    [Fact]
    public void A_param_without_its_bin_is_refused_naming_the_bin()
    {
        var param = Write("lonely", Graph, Weights(81, 3));
        File.Delete(Path.ChangeExtension(param, ".bin"));

        var e = Assert.Throws<ModelStoreException>(() => import.Import(param, new ModelImportOptions()));

        Assert.Contains("'lonely.bin' (its weights) is not beside", e.Message);
    }

    private string Write(string name, string param, byte[] bin)
    {
        var folder = Path.Combine(temp.Path, "src-" + name);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".param");
        File.WriteAllText(path, param);
        File.WriteAllBytes(Path.Combine(folder, name + ".bin"), bin);
        return path;
    }

    /// <summary>A float16-tagged weight array of <paramref name="count"/> values, then <paramref name="biases"/> float32 biases.</summary>
    private static byte[] Weights(int count, int biases)
    {
        int padded = (count * 2 + 3) / 4 * 4;
        var bytes = new byte[4 + padded + biases * 4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, 0x01306B47);
        for (int i = 0; i < count; i++)
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4 + i * 2), BitConverter.HalfToUInt16Bits((Half)(i % 7 * 0.01f)));
        for (int b = 0; b < biases; b++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 + padded + b * 4), 0.1f * b);
        return bytes;
    }
}
