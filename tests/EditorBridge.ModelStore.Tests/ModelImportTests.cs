using EditorBridge.Testing;

namespace EditorBridge.ModelStore.Tests;

/// <summary>Importing local folders: with a manifest, in the diffusers layout, one .onnx graph; and each way such a folder can be wrong.</summary>
public sealed class ModelImportTests : IDisposable
{
    private readonly TempDirectory temp = new("import");
    private readonly ModelStore store;
    private readonly ModelImport import;

    public ModelImportTests()
    {
        store = new ModelStore(Path.Combine(temp.Path, "models"));
        import = new ModelImport(store);
    }

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_folder_with_a_manifest_is_copied_checked_and_installed_leaving_the_source_alone()
    {
        var (folder, manifest) = ModelFolders.WithManifest(temp.Path, "lama-src", "lama", ModelKind.Inpaint, ["fill"],
            ("model.onnx", ModelFolders.Bytes(10_000, 1)), ("extra/readme.txt", "hello"u8.ToArray()));

        var installed = import.Import(folder, new ModelImportOptions());

        Assert.Equal(manifest.Identity(), installed.Identity);
        Assert.Equal(manifest.Files, installed.Manifest.Files);
        Assert.True(File.Exists(Path.Combine(folder, "model.onnx")));
        Assert.True(store.Verify("lama").IsIntact);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(store.Root, ModelStore.StagingFolderName)));
    }

    [Fact]
    public void A_manifest_with_a_wrong_hash_is_refused_and_nothing_stays_behind()
    {
        var (folder, manifest) = ModelFolders.WithManifest(temp.Path, "src", "liar", ModelKind.Upscale, ["restore"], ("model.onnx", ModelFolders.Bytes(1000, 2)));
        var lying = manifest with { Files = [manifest.Files[0] with { Sha256 = new string('a', 64) }] };
        File.WriteAllText(Path.Combine(folder, ModelManifest.FileName), lying.ToJson());

        var e = Assert.Throws<ModelStoreException>(() => import.Import(folder, new ModelImportOptions()));

        Assert.Contains("Model 'liar' was not installed: 'model.onnx' has SHA-256", e.Message);
        Assert.Contains("the manifest says " + new string('a', 64), e.Message);
        Assert.Empty(store.List());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(store.Root, ModelStore.StagingFolderName)));
    }

    [Fact]
    public void A_manifest_naming_a_missing_file_is_refused_naming_it()
    {
        var (folder, _) = ModelFolders.WithManifest(temp.Path, "src", "holey", ModelKind.Style, ["stylize"], ("a.onnx", ModelFolders.Bytes(10, 3)), ("b.bin", ModelFolders.Bytes(10, 4)));
        File.Delete(Path.Combine(folder, "b.bin"));

        var e = Assert.Throws<ModelStoreException>(() => import.Import(folder, new ModelImportOptions()));

        Assert.Equal("Model 'holey' was not imported: 'b.bin' is missing.", e.Message);
    }

    [Fact]
    public void A_manifest_path_with_dot_dot_is_refused_and_the_file_outside_is_not_copied()
    {
        File.WriteAllBytes(temp.File("outside.bin"), ModelFolders.Bytes(10, 5));
        var (folder, manifest) = ModelFolders.WithManifest(temp.Path, "src", "sneaky", ModelKind.Style, ["stylize"], ("a.onnx", ModelFolders.Bytes(10, 6)));
        var sneaky = manifest with { Files = [.. manifest.Files, new ModelFile("../outside.bin", 10, new string('0', 64))] };
        File.WriteAllText(Path.Combine(folder, ModelManifest.FileName), sneaky.ToJson());

        var e = Assert.Throws<ModelStoreException>(() => import.Import(folder, new ModelImportOptions()));

        Assert.Contains("'../outside.bin' leaves the model's folder", e.Message);
        Assert.Empty(store.List());
    }

    [Fact]
    public void A_symbolic_link_out_of_a_diffusers_folder_is_refused()
    {
        var folder = ModelFolders.Diffusers(temp.Path, "sd-linked", controlNet: false);
        File.WriteAllText(temp.File("private.txt"), "not a model");
        File.CreateSymbolicLink(Path.Combine(folder, "tokenizer", "extra.txt"), temp.File("private.txt"));

        var e = Assert.Throws<ModelStoreException>(() => import.Import(folder, new ModelImportOptions()));

        Assert.Contains("'tokenizer/extra.txt' is a symbolic link that leads out of the model's folder", e.Message);
        Assert.Empty(store.List());
    }

    [Fact]
    public void A_symbolic_link_to_a_folder_outside_is_refused_too()
    {
        var folder = ModelFolders.Diffusers(temp.Path, "sd-dirlink", controlNet: false);
        ModelFolders.Write(temp.Path, "elsewhere/secret.bin", ModelFolders.Bytes(10, 7));
        Directory.CreateSymbolicLink(Path.Combine(folder, "more"), temp.File("elsewhere"));

        var e = Assert.Throws<ModelStoreException>(() => import.Import(folder, new ModelImportOptions()));

        Assert.Contains("symbolic link that leads out of the model's folder", e.Message);
    }

    [Fact]
    public void A_link_to_a_folder_inside_is_not_followed_so_a_loop_imports_each_file_once()
    {
        var folder = ModelFolders.Diffusers(temp.Path, "sd-loop", controlNet: false);
        Directory.CreateSymbolicLink(Path.Combine(folder, "unet", "again"), folder);

        var installed = import.Import(folder, new ModelImportOptions());

        Assert.Equal(8, installed.Manifest.Files.Count);
        Assert.DoesNotContain(installed.Manifest.Files, f => f.Path.Contains("again", StringComparison.Ordinal));
    }

    [Fact]
    public void A_diffusers_folder_gets_a_manifest_with_every_file_and_the_operations_it_can_serve()
    {
        var folder = ModelFolders.Diffusers(temp.Path, "SD 1.5 (ONNX)", controlNet: false);

        var installed = import.Import(folder, new ModelImportOptions());

        var manifest = installed.Manifest;
        Assert.Equal("sd-1.5-onnx", manifest.Name);
        Assert.Equal(ModelKind.Diffusion, manifest.Kind);
        Assert.Equal(["generate", "fill", "restore", "stylize", "compose"], manifest.Operations);
        Assert.Equal(
            DiffusersLayout.RequiredFiles.Append("unet/model.onnx_data").Order(StringComparer.Ordinal),
            manifest.Files.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.Equal(ModelImport.UnknownLicenceId, manifest.Licence.Id);
        Assert.Equal(ModelImport.UnknownLicenceNote, manifest.Licence.Text);
        Assert.True(store.Verify("sd-1.5-onnx").IsIntact);
        var unet = manifest.Files.Single(f => f.Path == "unet/model.onnx");
        Assert.Equal(new FileInfo(Path.Combine(folder, "unet", "model.onnx")).Length, unet.Size);
        Assert.Equal(FileDigest.Sha256(Path.Combine(folder, "unet", "model.onnx")), unet.Sha256);
    }

    [Fact]
    public void A_controlnet_adds_colorize_and_the_name_and_licence_options_are_used()
    {
        var folder = ModelFolders.Diffusers(temp.Path, "sd-cn", controlNet: true);

        var installed = import.Import(folder, new ModelImportOptions(Name: "lineart-sd", LicenceId: "CreativeML-OpenRAIL-M"));

        Assert.Equal("lineart-sd", installed.Name);
        Assert.Contains("colorize", installed.Manifest.Operations);
        Assert.Contains(installed.Manifest.Files, f => f.Path == DiffusersLayout.ControlNet);
        Assert.Equal(new ModelLicence("CreativeML-OpenRAIL-M"), installed.Manifest.Licence);
    }

    [Fact]
    public void A_diffusers_folder_without_its_unet_and_tokenizer_names_both()
    {
        var folder = ModelFolders.Diffusers(temp.Path, "sd-broken", controlNet: false);
        File.Delete(Path.Combine(folder, "unet", "model.onnx"));
        File.Delete(Path.Combine(folder, "tokenizer", "merges.txt"));

        var e = Assert.Throws<ModelStoreException>(() => import.Import(folder, new ModelImportOptions()));

        Assert.Contains("lacks unet/model.onnx, tokenizer/merges.txt", e.Message);
        Assert.Empty(store.List());
    }

    [Fact]
    public void One_onnx_graph_needs_a_kind_and_then_serves_that_kinds_operation()
    {
        var folder = Path.Combine(temp.Path, "RealESRGAN x4");
        ModelFolders.Write(folder, "RealESRGAN_x4.onnx", ModelFolders.Bytes(2000, 8));
        ModelFolders.Write(folder, "RealESRGAN_x4.onnx_data", ModelFolders.Bytes(3000, 9));

        var withoutKind = Assert.Throws<ModelStoreException>(() => import.Import(folder, new ModelImportOptions()));
        var installed = import.Import(folder, new ModelImportOptions(Kind: ModelKind.Upscale));

        Assert.Contains("say which kind it is", withoutKind.Message);
        Assert.Equal("realesrgan-x4", installed.Name);
        Assert.Equal(["restore"], installed.Manifest.Operations);
        Assert.Null(installed.Manifest.Signature);
        Assert.Equal(2, installed.Manifest.Files.Count);
    }

    [Fact]
    public void A_single_onnx_file_imports_alone()
    {
        ModelFolders.Write(temp.Path, "loose/candy.onnx", ModelFolders.Bytes(500, 10));
        ModelFolders.Write(temp.Path, "loose/unrelated.txt", ModelFolders.Bytes(5, 11));

        var installed = import.Import(Path.Combine(temp.Path, "loose", "candy.onnx"), new ModelImportOptions(Kind: ModelKind.Style));

        Assert.Equal("candy", installed.Name);
        Assert.Equal(["candy.onnx"], installed.Manifest.Files.Select(f => f.Path));
        Assert.Equal(["stylize"], installed.Manifest.Operations);
    }

    [Theory]
    [InlineData("diffusion", "is a diffusers folder with model_index.json, not one .onnx graph")]
    [InlineData("telepathy", "the kind 'telepathy' is unknown")]
    public void A_kind_a_single_graph_cannot_be_is_refused(string kind, string expected)
    {
        ModelFolders.Write(temp.Path, "g/model.onnx", ModelFolders.Bytes(50, 12));

        var e = Assert.Throws<ModelStoreException>(() => import.Import(Path.Combine(temp.Path, "g"), new ModelImportOptions(Kind: kind)));

        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Folders_that_are_no_model_say_what_is_missing()
    {
        ModelFolders.Write(temp.Path, "two/a.onnx", ModelFolders.Bytes(50, 13));
        ModelFolders.Write(temp.Path, "two/b.onnx", ModelFolders.Bytes(50, 14));
        ModelFolders.Write(temp.Path, "none/notes.txt", ModelFolders.Bytes(50, 15));
        ModelFolders.Write(temp.Path, "file.txt", ModelFolders.Bytes(5, 16));

        var two = Assert.Throws<ModelStoreException>(() => import.Import(Path.Combine(temp.Path, "two"), new ModelImportOptions(Kind: ModelKind.Style)));
        var none = Assert.Throws<ModelStoreException>(() => import.Import(Path.Combine(temp.Path, "none"), new ModelImportOptions()));
        var text = Assert.Throws<ModelStoreException>(() => import.Import(temp.File("file.txt"), new ModelImportOptions()));
        var absent = Assert.Throws<ModelStoreException>(() => import.Import(temp.File("nowhere"), new ModelImportOptions()));

        Assert.Contains("holds 2 .onnx files and no manifest.json", two.Message);
        Assert.Contains("holds no manifest.json, no model_index.json (diffusers ONNX layout), no .onnx file and no ncnn .param", none.Message);
        Assert.Contains("is a file but not an .onnx graph", text.Message);
        Assert.Contains("does not exist", absent.Message);
    }

    [Fact]
    public void A_manifest_kind_other_than_the_one_asked_for_is_refused()
    {
        var (folder, _) = ModelFolders.WithManifest(temp.Path, "src", "which", ModelKind.Segment, ["segment"], ("m.onnx", ModelFolders.Bytes(10, 17)));

        var e = Assert.Throws<ModelStoreException>(() => import.Import(folder, new ModelImportOptions(Kind: ModelKind.Inpaint)));

        Assert.Contains("its manifest says kind 'segment', not 'inpaint'", e.Message);
    }

    [Fact]
    public void A_model_over_the_size_limit_is_refused_before_copying()
    {
        var folder = ModelFolders.Diffusers(temp.Path, "big", controlNet: false);

        var bytes = Assert.Throws<ModelStoreException>(() => import.Import(folder, new ModelImportOptions(MaxTotalBytes: 1000)));
        var files = Assert.Throws<ModelStoreException>(() => import.Import(folder, new ModelImportOptions(MaxFiles: 3)));

        Assert.Equal(ModelStoreError.TooLarge, bytes.Error);
        Assert.Contains("more than the limit of 1000", bytes.Message);
        Assert.Equal(ModelStoreError.TooLarge, files.Error);
        Assert.False(Directory.Exists(Path.Combine(store.Root, ModelStore.StagingFolderName)) && Directory.EnumerateFileSystemEntries(Path.Combine(store.Root, ModelStore.StagingFolderName)).Any());
    }

    [Fact]
    public void The_engine_check_refusal_leaves_nothing_installed()
    {
        var folder = ModelFolders.Diffusers(temp.Path, "sd-bad-sig", controlNet: false);

        var e = Assert.Throws<ModelStoreException>(() => import.Import(folder, new ModelImportOptions(), _ => ["diffusion: unet/model.onnx: input 'sample' has 3 channels, expected 4 or 9"]));

        Assert.Equal(ModelStoreError.CheckFailed, e.Error);
        Assert.Contains("Model 'sd-bad-sig' was not installed: the engine check failed: diffusion: unet/model.onnx: input 'sample'", e.Message);
        Assert.Empty(store.List());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(store.Root, ModelStore.StagingFolderName)));
    }

    [Theory]
    [InlineData("{ not json", "manifest.json cannot be read")]
    [InlineData("{\"name\": \"nofiles\", \"kind\": \"style\", \"version\": \"1\", \"licence\": {\"id\": \"MIT\"}, \"operations\": []}", "the manifest lists no files")]
    [InlineData("{\"name\": \"nolicence\", \"kind\": \"style\", \"version\": \"1\", \"files\": [{\"path\": \"m.onnx\", \"size\": 1, \"sha256\": \"xyz\"}], \"operations\": []}", "no licence id; 'm.onnx' has no valid SHA-256")]
    public void A_broken_manifest_is_refused_with_what_is_wrong(string json, string expected)
    {
        ModelFolders.Write(temp.Path, "broken/m.onnx", ModelFolders.Bytes(1, 18));
        File.WriteAllText(Path.Combine(temp.Path, "broken", ModelManifest.FileName), json);

        var e = Assert.Throws<ModelStoreException>(() => import.Import(Path.Combine(temp.Path, "broken"), new ModelImportOptions()));

        Assert.Equal(ModelStoreError.Invalid, e.Error);
        Assert.Contains(expected, e.Message);
        Assert.Empty(store.List());
    }
}
