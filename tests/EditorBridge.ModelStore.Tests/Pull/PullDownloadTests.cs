using EditorBridge.ModelStore.Pull;

namespace EditorBridge.ModelStore.Tests.Pull;

public sealed class PullDownloadTests
{
    [Fact]
    public async Task A_full_download_is_verified_installed_and_its_partial_files_removed()
    {
        await using var bed = PullTestBed.Start();
        var weights = PullTestBed.Bytes(300_000, seed: 1);
        var config = PullTestBed.Bytes(1_000, seed: 2);
        var entry = bed.Publish("two-files", ("model.onnx", weights), ("config/settings.json", config));
        var progress = new SynchronousProgress();

        var result = await bed.PullAsync(entry, progress: progress);

        Assert.False(result.AlreadyInstalled);
        Assert.Empty(result.FirstUseHashes);
        var installed = bed.Store.Find("two-files");
        Assert.NotNull(installed);
        Assert.Equal(weights, File.ReadAllBytes(Path.Combine(installed.Directory, "model.onnx")));
        Assert.Equal(config, File.ReadAllBytes(Path.Combine(installed.Directory, "config", "settings.json")));
        Assert.Equal(PullTestBed.Sha256(weights), installed.Manifest.Files.Single(f => f.Path == "model.onnx").Sha256);
        Assert.Contains(entry.Files[0].Url, installed.Manifest.Sources!);
        Assert.False(Directory.Exists(bed.DownloadFolder("two-files")));
        var last = progress.Reports[^1];
        Assert.Equal(weights.Length + config.Length, last.BytesDone);
        Assert.Equal(last.BytesTotal, last.BytesDone);
        Assert.Contains(progress.Reports, p => p.File == "config/settings.json");
        Assert.True(progress.Reports.Zip(progress.Reports.Skip(1)).All(pair => pair.First.BytesDone <= pair.Second.BytesDone), "progress went backwards");
    }

    [Fact]
    public async Task A_connection_dropped_half_way_is_resumed_with_a_range_request()
    {
        await using var bed = PullTestBed.Start();
        var weights = PullTestBed.Bytes(1_000_000, seed: 3);
        var entry = bed.Publish("dropped", ("model.onnx", weights));
        bed.Server.Serve("/publisher/dropped/model.onnx", weights).DropAfter(500_000, times: 1);

        await bed.PullAsync(entry);

        var requests = bed.Server.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Null(requests[0].Range);
        Assert.Equal("bytes=500000-", requests[1].Range);
        Assert.Equal("\"v1\"", requests[1].IfRange);
        // every byte crossed the wire once: the resumed request did not start over
        Assert.Equal(weights.Length, bed.Server.BodyBytesSent);
        Assert.Equal(weights, File.ReadAllBytes(Path.Combine(bed.Store.Find("dropped")!.Directory, "model.onnx")));
    }

    [Fact]
    public async Task A_cancelled_pull_keeps_its_bytes_and_the_next_pull_fetches_only_the_rest()
    {
        await using var bed = PullTestBed.Start();
        var weights = PullTestBed.Bytes(800_000, seed: 4);
        var entry = bed.Publish("cancelled", ("model.onnx", weights));
        var served = bed.Server.Serve("/publisher/cancelled/model.onnx", weights).StallAfter(300_000, times: 1);
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p.BytesDone >= 300_000)
                cancel.Cancel();
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bed.PullAsync(entry, bed.Options with { StallTimeout = TimeSpan.FromSeconds(30) }, progress, cancel.Token));

        Assert.Null(bed.Store.Find("cancelled"));
        Assert.Equal(300_000, new FileInfo(bed.PartFile("cancelled", "model.onnx")).Length);
        await bed.PullAsync(entry);
        Assert.Equal(2, served.Requests);
        Assert.Equal("bytes=300000-", bed.Server.Requests[^1].Range);
        Assert.Equal(weights.Length - 300_000, bed.Server.Requests[^1].BytesSent);
        Assert.NotNull(bed.Store.Find("cancelled"));
    }

    [Fact]
    public async Task A_server_that_ignores_ranges_sends_the_whole_file_again_and_the_pull_starts_over()
    {
        await using var bed = PullTestBed.Start();
        var weights = PullTestBed.Bytes(400_000, seed: 5);
        var entry = bed.Publish("no-ranges", ("model.onnx", weights));
        var served = bed.Server.Serve("/publisher/no-ranges/model.onnx", weights).DropAfter(100_000, times: 1);
        served.IgnoreRanges = true;

        await bed.PullAsync(entry);

        Assert.Equal("bytes=100000-", bed.Server.Requests[^1].Range);
        Assert.Equal(weights.Length, bed.Server.Requests[^1].BytesSent);
        Assert.Equal(weights, File.ReadAllBytes(Path.Combine(bed.Store.Find("no-ranges")!.Directory, "model.onnx")));
    }

    [Fact]
    public async Task A_file_changed_on_the_server_since_the_first_bytes_is_fetched_whole_not_spliced()
    {
        await using var bed = PullTestBed.Start();
        var old = PullTestBed.Bytes(400_000, seed: 6);
        var current = PullTestBed.Bytes(400_000, seed: 7);
        var entry = PullTestBed.Entry("changed", [bed.ServeAndDescribe("changed", "model.onnx", current)]);
        bed.Server.Serve("/publisher/changed/model.onnx", old, etag: "\"old\"").DropAfter(150_000, times: 1);
        await Assert.ThrowsAsync<PullException>(() => bed.PullAsync(entry, bed.Options with { Attempts = 1 }));
        bed.Server.Serve("/publisher/changed/model.onnx", current, etag: "\"new\"");

        await bed.PullAsync(entry);

        Assert.Equal("\"old\"", bed.Server.Requests[^1].IfRange);
        Assert.Equal(current.Length, bed.Server.Requests[^1].BytesSent);
        Assert.Equal(current, File.ReadAllBytes(Path.Combine(bed.Store.Find("changed")!.Directory, "model.onnx")));
    }

    [Fact]
    public async Task Progress_reports_a_speed_and_the_time_left()
    {
        await using var bed = PullTestBed.Start();
        var weights = PullTestBed.Bytes(400_000, seed: 8);
        var entry = bed.Publish("paced", ("model.onnx", weights));
        var served = bed.Server.Serve("/publisher/paced/model.onnx", weights);
        served.ChunkSize = 16 * 1024;
        served.DelayPerChunk = TimeSpan.FromMilliseconds(5);
        var progress = new SynchronousProgress();

        await bed.PullAsync(entry, progress: progress);

        var moving = progress.Reports.Where(p => p.BytesDone > 0 && p.BytesDone < weights.Length).ToList();
        Assert.Contains(moving, p => p.BytesPerSecond > 0 && p.SecondsLeft > 0);
        Assert.All(progress.Reports, p => Assert.Equal(weights.Length, p.BytesTotal));
    }

    [Fact]
    public async Task A_model_already_installed_at_this_version_is_not_fetched_again()
    {
        await using var bed = PullTestBed.Start();
        var entry = bed.Publish("twice", ("model.onnx", PullTestBed.Bytes(10_000, seed: 9)));
        await bed.PullAsync(entry);
        int before = bed.Server.Requests.Count;

        var again = await bed.PullAsync(entry);

        Assert.True(again.AlreadyInstalled);
        Assert.Equal(before, bed.Server.Requests.Count);
        var newer = entry with { Version = "2" };
        var refused = await Assert.ThrowsAsync<PullException>(() => bed.PullAsync(newer));
        Assert.Equal(PullFailure.AlreadyInstalled, refused.Failure);
        Assert.Contains("models remove twice", refused.Message);
    }
}
