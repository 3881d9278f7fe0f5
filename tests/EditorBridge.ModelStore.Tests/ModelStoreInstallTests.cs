using EditorBridge.Testing;

namespace EditorBridge.ModelStore.Tests;

/// <summary>Install, find, verify and remove through the store, with files that are wrong in each way a download or a disk can make them.</summary>
public sealed class ModelStoreInstallTests : IDisposable
{
    private readonly TempDirectory temp = new("store");
    private readonly ModelStore store;

    public ModelStoreInstallTests() => store = new ModelStore(Path.Combine(temp.Path, "models"));

    public void Dispose() => temp.Dispose();

    [Fact]
    public void An_installed_model_is_listed_found_and_intact_with_its_files_and_identity()
    {
        var (staging, manifest) = Stage("ink-style", ("model.onnx", ModelFolders.Bytes(5000, 1)), ("sub/weights.bin", ModelFolders.Bytes(3000, 2)));

        var installed = store.Install(staging, manifest);

        Assert.Equal(Path.Combine(store.Root, "ink-style"), installed.Directory);
        Assert.Equal(manifest.Identity(), installed.Identity);
        Assert.Equal(["ink-style"], store.List().Select(m => m.Name));
        Assert.Equal(installed.Identity, store.Find("ink-style")!.Identity);
        Assert.True(store.Verify("ink-style").IsIntact);
        Assert.Equal(ModelFolders.Bytes(3000, 2), File.ReadAllBytes(Path.Combine(installed.Directory, "sub", "weights.bin")));
        Assert.False(Directory.Exists(staging));
    }

    [Fact]
    public void A_corrupted_byte_is_refused_naming_the_file_and_nothing_is_installed()
    {
        var (staging, manifest) = Stage("lama", ("model.onnx", ModelFolders.Bytes(4096, 3)));
        var path = Path.Combine(staging, "model.onnx");
        var bytes = File.ReadAllBytes(path);
        bytes[1234] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<ModelStoreException>(() => store.Install(staging, manifest));

        Assert.Equal(ModelStoreError.Invalid, e.Error);
        Assert.Contains("Model 'lama'", e.Message);
        Assert.Contains("'model.onnx' has SHA-256", e.Message);
        Assert.Null(store.Find("lama"));
        Assert.Empty(store.List());
    }

    [Fact]
    public void A_wrong_size_and_a_missing_file_are_each_named()
    {
        var (staging, manifest) = Stage("esrgan", ("a.onnx", ModelFolders.Bytes(100, 4)), ("b.bin", ModelFolders.Bytes(100, 5)));
        File.WriteAllBytes(Path.Combine(staging, "a.onnx"), ModelFolders.Bytes(99, 4));
        File.Delete(Path.Combine(staging, "b.bin"));

        var e = Assert.Throws<ModelStoreException>(() => store.Install(staging, manifest));

        Assert.Contains("'a.onnx' is 99 bytes, the manifest says 100", e.Message);
        Assert.Contains("'b.bin' is missing", e.Message);
        Assert.False(Directory.Exists(Path.Combine(store.Root, "esrgan")));
    }

    [Theory]
    [InlineData("../escape.bin")]
    [InlineData("sub/../../escape.bin")]
    [InlineData("/etc/passwd")]
    [InlineData("sub\\..\\escape.bin")]
    [InlineData("manifest.json")]
    public void A_manifest_path_that_leaves_the_folder_is_refused_before_any_file_is_read(string badPath)
    {
        var (staging, manifest) = Stage("style-a", ("model.onnx", ModelFolders.Bytes(10, 6)));
        var bad = manifest with { Files = [.. manifest.Files, new ModelFile(badPath, 1, new string('0', 64))] };

        var e = Assert.Throws<ModelStoreException>(() => store.Install(staging, bad));

        Assert.Equal(ModelStoreError.Invalid, e.Error);
        Assert.Contains($"'{badPath}'", e.Message);
        Assert.Null(store.Find("style-a"));
    }

    [Fact]
    public void A_symbolic_link_leading_out_of_the_folder_is_refused()
    {
        var outside = temp.File("secret.bin");
        File.WriteAllBytes(outside, ModelFolders.Bytes(64, 7));
        var (staging, manifest) = Stage("linked", ("model.onnx", ModelFolders.Bytes(64, 7)));
        File.Delete(Path.Combine(staging, "model.onnx"));
        File.CreateSymbolicLink(Path.Combine(staging, "model.onnx"), outside);

        var e = Assert.Throws<ModelStoreException>(() => store.Install(staging, manifest));

        Assert.Contains("'model.onnx' is a symbolic link that leads out of the model's folder", e.Message);
    }

    [Fact]
    public void An_unknown_kind_and_a_bad_name_are_refused()
    {
        var (staging, manifest) = Stage("fine", ("m.onnx", ModelFolders.Bytes(8, 8)));

        var kind = Assert.Throws<ModelStoreException>(() => store.Install(staging, manifest with { Kind = "telepathy" }));
        var name = Assert.Throws<ModelStoreException>(() => store.Install(staging, manifest with { Name = "Bad Name" }));

        Assert.Contains("the kind 'telepathy' is unknown", kind.Message);
        Assert.Contains("'Bad Name'", name.Message);
        Assert.Empty(store.List());
    }

    [Fact]
    public void A_file_the_manifest_does_not_list_is_refused()
    {
        var (staging, manifest) = Stage("tidy", ("m.onnx", ModelFolders.Bytes(8, 9)));
        File.WriteAllText(Path.Combine(staging, "stray.txt"), "left over");

        var e = Assert.Throws<ModelStoreException>(() => store.Install(staging, manifest));

        Assert.Contains("'stray.txt' is in the folder but not in the manifest", e.Message);
    }

    [Fact]
    public void A_failed_engine_check_is_refused_with_its_words_and_sees_the_manifest()
    {
        var (staging, manifest) = Stage("colorizer", ("m.onnx", ModelFolders.Bytes(8, 10)));
        string? kindSeen = null;

        var e = Assert.Throws<ModelStoreException>(() => store.Install(staging, manifest, directory =>
        {
            kindSeen = ModelManifest.Load(directory).Kind;
            return ["onnx: input 'image' has rank 3, the signature says 4"];
        }));

        Assert.Equal(ModelStoreError.CheckFailed, e.Error);
        Assert.Contains("Model 'colorizer' was not installed: the engine check failed: onnx: input 'image' has rank 3", e.Message);
        Assert.Equal(ModelKind.Style, kindSeen);
        Assert.Null(store.Find("colorizer"));
    }

    [Fact]
    public void A_taken_name_is_refused_unless_replacing_which_swaps_the_whole_model()
    {
        var (first, manifest1) = Stage("swap", ("m.onnx", ModelFolders.Bytes(100, 11)), ("old-only.bin", ModelFolders.Bytes(10, 12)));
        store.Install(first, manifest1);
        var (second, manifest2) = Stage("swap", ("m.onnx", ModelFolders.Bytes(100, 13)));

        var clash = Assert.Throws<ModelStoreException>(() => store.Install(second, manifest2));
        var replaced = store.Install(second, manifest2, replace: true);

        Assert.Equal(ModelStoreError.AlreadyExists, clash.Error);
        Assert.Contains("Model 'swap' is already installed", clash.Message);
        Assert.Equal(manifest2.Identity(), replaced.Identity);
        Assert.NotEqual(manifest1.Identity(), replaced.Identity);
        Assert.False(File.Exists(Path.Combine(replaced.Directory, "old-only.bin")));
        Assert.True(store.Verify("swap").IsIntact);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(store.Root, ModelStore.StagingFolderName)));
    }

    [Fact]
    public void Verify_names_each_damaged_file_of_an_installed_model()
    {
        var (staging, manifest) = Stage("rotting", ("a.onnx", ModelFolders.Bytes(300, 14)), ("b.bin", ModelFolders.Bytes(300, 15)));
        var installed = store.Install(staging, manifest);
        var a = Path.Combine(installed.Directory, "a.onnx");
        var bytes = File.ReadAllBytes(a);
        bytes[^1] ^= 0x80;
        File.WriteAllBytes(a, bytes);
        File.Delete(Path.Combine(installed.Directory, "b.bin"));

        var verification = store.Verify("rotting");

        Assert.False(verification.IsIntact);
        Assert.Equal(2, verification.Problems.Count);
        Assert.Contains(verification.Problems, p => p.StartsWith("'a.onnx' has SHA-256", StringComparison.Ordinal));
        Assert.Contains("'b.bin' is missing", verification.Problems);
    }

    [Fact]
    public void Remove_takes_the_model_away_and_an_unknown_name_is_not_found()
    {
        var (staging, manifest) = Stage("brief", ("m.onnx", ModelFolders.Bytes(8, 16)));
        store.Install(staging, manifest);

        store.Remove("brief");
        var again = Assert.Throws<ModelStoreException>(() => store.Remove("brief"));
        var verify = Assert.Throws<ModelStoreException>(() => store.Verify("brief"));

        Assert.Null(store.Find("brief"));
        Assert.False(Directory.Exists(Path.Combine(store.Root, "brief")));
        Assert.Equal(ModelStoreError.NotFound, again.Error);
        Assert.Equal("Model 'brief' is not installed.", verify.Message);
    }

    [Fact]
    public void A_store_whose_folder_does_not_exist_yet_is_empty_and_knows_no_model()
    {
        var fresh = new ModelStore(Path.Combine(temp.Path, "not-yet"));

        Assert.Empty(fresh.List());
        Assert.Null(fresh.Find("anything"));
        Assert.Equal(ModelStoreError.NotFound, Assert.Throws<ModelStoreException>(() => fresh.Remove("anything")).Error);
        Assert.Equal(ModelStoreError.NotFound, Assert.Throws<ModelStoreException>(() => fresh.Verify("anything")).Error);
    }

    [Fact]
    public void A_staging_folder_from_elsewhere_is_refused()
    {
        var foreign = Path.Combine(temp.Path, "elsewhere");
        Directory.CreateDirectory(foreign);
        var (staging, manifest) = Stage("outsider", ("m.onnx", ModelFolders.Bytes(8, 17)));
        File.Copy(Path.Combine(staging, "m.onnx"), Path.Combine(foreign, "m.onnx"));

        var e = Assert.Throws<ModelStoreException>(() => store.Install(foreign, manifest));

        Assert.Contains("is not a staging folder of this store", e.Message);
    }

    private (string Staging, ModelManifest Manifest) Stage(string name, params (string Path, byte[] Content)[] files)
    {
        var source = Path.Combine(temp.Path, "src-" + Guid.NewGuid().ToString("N")[..8]);
        var (folder, manifest) = ModelFolders.WithManifest(temp.Path, Path.GetFileName(source), name, ModelKind.Style, ["stylize"], files);
        var staging = store.NewStagingDirectory(name);
        foreach (var (path, content) in files)
            ModelFolders.Write(staging, path, content);
        Directory.Delete(folder, recursive: true);
        return (staging, manifest);
    }
}
