using EditorBridge.ModelStore.Catalog;
using EditorBridge.ModelStore.Pull;

namespace EditorBridge.ModelStore.Tests.Pull;

public sealed class PullGuardTests
{
    [Fact]
    public async Task A_licence_that_needs_acceptance_is_refused_unless_accepted_and_named_with_its_url()
    {
        await using var bed = PullTestBed.Start();
        var weights = PullTestBed.Bytes(2_000, seed: 21);
        var licence = new ModelLicence("CreativeML-OpenRAIL-M", "https://example.org/openrail-m", RequiresAcceptance: true);
        var entry = PullTestBed.Entry("gated", [bed.ServeAndDescribe("gated", "model.onnx", weights)], licence);

        var e = await Assert.ThrowsAsync<PullException>(() => bed.PullAsync(entry));

        Assert.Equal(PullFailure.LicenceNotAccepted, e.Failure);
        Assert.Equal(licence, e.Licence);
        Assert.Contains("CreativeML-OpenRAIL-M", e.Message);
        Assert.Contains("https://example.org/openrail-m", e.Message);
        Assert.Contains("--accept-licence", e.Message);
        Assert.Empty(bed.Server.Requests);

        var accepted = await bed.PullAsync(entry, bed.Options with { LicenceAccepted = true });
        Assert.Equal(licence, accepted.Manifest.Licence);
    }

    [Fact]
    public async Task A_second_pull_of_the_same_model_while_one_runs_is_refused()
    {
        await using var bed = PullTestBed.Start();
        var weights = PullTestBed.Bytes(200_000, seed: 22);
        var entry = bed.Publish("busy", ("model.onnx", weights));
        bed.Server.Serve("/publisher/busy/model.onnx", weights).StallAfter(50_000, times: 1);
        using var cancel = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var first = bed.PullAsync(entry, bed.Options with { StallTimeout = TimeSpan.FromSeconds(30) }, new SynchronousProgress(p =>
        {
            if (p.BytesDone >= 50_000)
                started.TrySetResult();
        }), cancel.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var e = await Assert.ThrowsAsync<PullException>(() => bed.PullAsync(entry));

        Assert.Equal(PullFailure.AlreadyRunning, e.Failure);
        Assert.Contains("'busy' is already running", e.Message);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        // the lock went with the first pull: a third one resumes and finishes
        await bed.PullAsync(entry);
        Assert.NotNull(bed.Store.Find("busy"));
    }

    [Fact]
    public async Task A_mirror_folder_serves_the_files_by_model_and_path_without_any_network()
    {
        await using var bed = PullTestBed.Start();
        var weights = PullTestBed.Bytes(70_000, seed: 23);
        var entry = PullTestBed.Entry("mirrored", [new("sub/model.onnx", "https://models.invalid/mirrored/model.onnx", weights.Length, PullTestBed.Sha256(weights))]);
        var mirror = Path.Combine(bed.Scratch, "mirror");
        Directory.CreateDirectory(Path.Combine(mirror, "mirrored", "sub"));
        File.WriteAllBytes(Path.Combine(mirror, "mirrored", "sub", "model.onnx"), weights);

        await bed.PullAsync(entry, bed.Options with { Mirror = mirror });

        Assert.Equal(weights, File.ReadAllBytes(Path.Combine(bed.Store.Find("mirrored")!.Directory, "sub", "model.onnx")));
        Assert.Empty(bed.Server.Requests);
    }

    [Fact]
    public async Task A_mirror_folder_without_the_file_names_where_it_looked()
    {
        await using var bed = PullTestBed.Start();
        var entry = PullTestBed.Entry("absent", [new("model.onnx", "https://models.invalid/absent/model.onnx", 10, new string('b', 64))]);
        var mirror = Path.Combine(bed.Scratch, "empty-mirror");
        Directory.CreateDirectory(mirror);

        var e = await Assert.ThrowsAsync<PullException>(() => bed.PullAsync(entry, bed.Options with { Mirror = mirror }));

        Assert.Equal(PullFailure.NotFound, e.Failure);
        Assert.Contains(Path.Combine(mirror, "absent", "model.onnx"), e.Message);
    }

    [Fact]
    public async Task A_mirror_base_url_is_asked_for_model_and_path_instead_of_the_publisher()
    {
        await using var bed = PullTestBed.Start();
        var weights = PullTestBed.Bytes(30_000, seed: 24);
        var entry = PullTestBed.Entry("via-mirror", [new("model.onnx", "https://models.invalid/x/model.onnx", weights.Length, PullTestBed.Sha256(weights))]);
        bed.Server.Serve("/studio/via-mirror/model.onnx", weights);

        await bed.PullAsync(entry, bed.Options with { Mirror = bed.Server.Url("/studio").AbsoluteUri });

        Assert.Equal("/studio/via-mirror/model.onnx", Assert.Single(bed.Server.Requests).Target);
        Assert.NotNull(bed.Store.Find("via-mirror"));
    }

    [Fact]
    public async Task A_mirror_that_is_neither_a_url_nor_a_folder_is_refused()
    {
        await using var bed = PullTestBed.Start();
        var entry = bed.Publish("nomirror", ("model.onnx", PullTestBed.Bytes(10, seed: 25)));

        var e = await Assert.ThrowsAsync<PullException>(() => bed.PullAsync(entry, bed.Options with { Mirror = Path.Combine(bed.Scratch, "no-such-folder") }));

        Assert.Equal(PullFailure.BadMirror, e.Failure);
        Assert.Contains("no-such-folder", e.Message);
    }

    [Fact]
    public async Task A_file_without_a_published_hash_is_recorded_on_first_use_shown_and_checked_on_later_pulls()
    {
        await using var bed = PullTestBed.Start();
        var weights = PullTestBed.Bytes(40_000, seed: 26);
        var file = bed.ServeAndDescribe("unpublished", "model.onnx", weights, publishHash: false, publishSize: false);
        var entry = PullTestBed.Entry("unpublished", [file]);

        var first = await bed.PullAsync(entry);

        var recorded = Assert.Single(first.FirstUseHashes);
        Assert.Equal(new FirstUseHash("model.onnx", PullTestBed.Sha256(weights), weights.Length, file.Url), recorded);
        Assert.Equal(PullTestBed.Sha256(weights), first.Manifest.Files.Single().Sha256);
        Assert.Equal(weights.Length, first.Manifest.Files.Single().Size);

        // the publisher's file changes (same size): the next pull refuses it against the recorded hash
        bed.Store.Remove("unpublished");
        var swapped = PullTestBed.Bytes(40_000, seed: 27);
        bed.Server.Serve("/publisher/unpublished/model.onnx", swapped);
        var e = await Assert.ThrowsAsync<PullException>(() => bed.PullAsync(entry));
        Assert.Equal(PullFailure.Corrupt, e.Failure);
        Assert.Contains("recorded at its first pull", e.Message);
        Assert.Contains(PullTestBed.Sha256(weights), e.Message);

        // the original bytes again: accepted, and nothing new to show
        bed.Server.Serve("/publisher/unpublished/model.onnx", weights);
        var again = await bed.PullAsync(entry);
        Assert.Empty(again.FirstUseHashes);
    }

    [Fact]
    public async Task A_model_the_engines_refuse_is_not_installed_and_its_verified_files_wait_for_the_next_pull()
    {
        await using var bed = PullTestBed.Start();
        var weights = PullTestBed.Bytes(60_000, seed: 28);
        var entry = bed.Publish("refused", ("model.onnx", weights));

        var e = await Assert.ThrowsAsync<PullException>(() => bed.PullAsync(entry, bed.Options with { Check = _ => ["onnx: the graph has no input 'image'"] }));

        Assert.Equal(PullFailure.InstallRefused, e.Failure);
        Assert.Contains("the graph has no input 'image'", e.Message);
        Assert.Null(bed.Store.Find("refused"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(bed.Store.Root, ModelStore.StagingFolderName)));
        await bed.PullAsync(entry);
        Assert.Single(bed.Server.Requests);
        Assert.Equal(weights, File.ReadAllBytes(Path.Combine(bed.Store.Find("refused")!.Directory, "model.onnx")));
    }

    [Fact]
    public async Task An_unreadable_record_of_first_use_hashes_refuses_rather_than_trusting_anew()
    {
        await using var bed = PullTestBed.Start();
        var entry = PullTestBed.Entry("untrusted", [bed.ServeAndDescribe("untrusted", "model.onnx", PullTestBed.Bytes(1_000, seed: 29), publishHash: false)]);
        File.WriteAllText(Path.Combine(bed.Store.Root, ".first-use-hashes.json"), "{ cut short");

        var e = await Assert.ThrowsAsync<PullException>(() => bed.PullAsync(entry));

        Assert.Equal(PullFailure.Corrupt, e.Failure);
        Assert.Contains(".first-use-hashes.json", e.Message);
        Assert.Empty(bed.Server.Requests);
    }

    [Fact]
    public void An_unknown_catalog_name_lists_the_names_there_are()
    {
        var e = Assert.Throws<PullException>(() => ModelCatalog.BuiltIn.Get("no-such-model"));

        Assert.Equal(PullFailure.UnknownModel, e.Failure);
        Assert.Contains("'no-such-model'", e.Message);
        Assert.Contains("lama", e.Message);
    }
}
