using EditorBridge.Testing;

namespace EditorBridge.ModelStore.Tests;

/// <summary>
/// What a killed process leaves behind (simulated by leaving the staging folders it would leave)
/// and two installs of one name racing: the store shows whole models or none.
/// </summary>
public sealed class ModelStoreCrashAndConcurrencyTests : IDisposable
{
    private readonly TempDirectory temp = new("storex");
    private readonly ModelStore store;

    public ModelStoreCrashAndConcurrencyTests() => store = new ModelStore(Path.Combine(temp.Path, "models"));

    public void Dispose() => temp.Dispose();

    [Fact]
    public void An_install_killed_half_way_leaves_only_staging_junk_which_the_next_start_cleans()
    {
        var half = store.NewStagingDirectory("half");
        ModelFolders.Write(half, "unet/model.onnx", ModelFolders.Bytes(1000, 1));
        var removedHalfway = Path.Combine(store.Root, ModelStore.StagingFolderName, $"removed-gone-{Guid.NewGuid():N}");
        ModelFolders.Write(removedHalfway, "m.onnx", ModelFolders.Bytes(10, 2));

        var visibleBefore = store.List();
        new ModelStore(store.Root).CleanStaging(idle: TimeSpan.Zero);

        Assert.Empty(visibleBefore);
        Assert.Null(store.Find("half"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(store.Root, ModelStore.StagingFolderName)));
    }

    [Fact]
    public void Cleaning_spares_a_staging_folder_still_being_written_and_takes_an_abandoned_one()
    {
        var active = store.NewStagingDirectory("busy");
        ModelFolders.Write(active, "unet/model.onnx", ModelFolders.Bytes(100, 8));
        var abandoned = store.NewStagingDirectory("dead");
        ModelFolders.Write(abandoned, "unet/model.onnx", ModelFolders.Bytes(100, 9));
        var longAgo = DateTime.UtcNow - ModelStore.StagingIdleBeforeCleanup - TimeSpan.FromMinutes(1);
        foreach (var entry in Directory.EnumerateFileSystemEntries(abandoned, "*", SearchOption.AllDirectories).Append(abandoned))
            Directory.SetLastWriteTimeUtc(entry, longAgo);
        // the active folder's own time is old too: its file being written keeps it
        Directory.SetLastWriteTimeUtc(active, longAgo);

        store.CleanStaging();

        Assert.True(File.Exists(Path.Combine(active, "unet", "model.onnx")));
        Assert.False(Directory.Exists(abandoned));
    }

    [Fact]
    public void A_replace_killed_between_its_two_moves_gets_the_old_model_back_at_the_next_start()
    {
        var (folder, manifest) = ModelFolders.WithManifest(temp.Path, "src", "keeper", ModelKind.Upscale, ["restore"], ("m.onnx", ModelFolders.Bytes(500, 3)));
        new ModelImport(store).Import(folder, new ModelImportOptions());
        // the first move of a replace: the old model is aside, the new one never arrived
        var aside = Path.Combine(store.Root, ModelStore.StagingFolderName, $"replaced-keeper-{Guid.NewGuid():N}");
        Directory.Move(Path.Combine(store.Root, "keeper"), aside);
        Assert.Null(store.Find("keeper"));

        store.CleanStaging();

        Assert.Equal(manifest.Identity(), store.Find("keeper")!.Identity);
        Assert.True(store.Verify("keeper").IsIntact);
    }

    [Fact]
    public void Two_threads_installing_one_name_end_with_exactly_one_whole_model()
    {
        var contents = new[] { ModelFolders.Bytes(200_000, 4), ModelFolders.Bytes(200_000, 5) };
        var staged = contents.Select((content, i) =>
        {
            var (folder, manifest) = ModelFolders.WithManifest(temp.Path, $"src{i}", "racer", ModelKind.Inpaint, ["fill"], ("model.onnx", content));
            var staging = store.NewStagingDirectory("racer");
            File.Copy(Path.Combine(folder, "model.onnx"), Path.Combine(staging, "model.onnx"));
            return (staging, manifest);
        }).ToArray();
        using var start = new Barrier(2);

        var outcomes = staged.AsParallel().WithDegreeOfParallelism(2).Select(s =>
        {
            start.SignalAndWait();
            try
            {
                return (Identity: (string?)store.Install(s.staging, s.manifest).Identity, Error: (ModelStoreError?)null);
            }
            catch (ModelStoreException e)
            {
                return (Identity: (string?)null, Error: e.Error);
            }
        }).ToList();

        var winner = Assert.Single(outcomes, o => o.Identity is not null);
        Assert.Equal(ModelStoreError.AlreadyExists, Assert.Single(outcomes, o => o.Identity is null).Error);
        Assert.Equal(winner.Identity, store.Find("racer")!.Identity);
        Assert.True(store.Verify("racer").IsIntact);
        Assert.Single(store.List());
    }

    [Fact]
    public void Installs_and_removals_of_one_name_racing_never_leave_a_partial_model()
    {
        var (folder, manifest) = ModelFolders.WithManifest(temp.Path, "src", "flicker", ModelKind.Style, ["stylize"], ("a.onnx", ModelFolders.Bytes(50_000, 6)), ("b.bin", ModelFolders.Bytes(50_000, 7)));
        var import = new ModelImport(store);

        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            try
            {
                if (i % 2 == 0)
                    import.Import(folder, new ModelImportOptions(Replace: true));
                else
                    store.Remove("flicker");
            }
            catch (ModelStoreException e) when (e.Error == ModelStoreError.NotFound)
            {
                // removing before any install: fine
            }

            if (store.Find("flicker") is { } seen)
                Assert.Equal(manifest.Identity(), seen.Identity);
        });

        if (store.Find("flicker") is not null)
            Assert.True(store.Verify("flicker").IsIntact);
        store.CleanStaging(idle: TimeSpan.Zero);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(store.Root, ModelStore.StagingFolderName)));
    }
}
