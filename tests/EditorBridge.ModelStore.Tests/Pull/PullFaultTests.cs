using EditorBridge.ModelStore.Pull;

namespace EditorBridge.ModelStore.Tests.Pull;

public sealed class PullFaultTests
{
    [Fact]
    public async Task A_corrupted_byte_fails_the_hash_check_and_nothing_is_installed_or_kept()
    {
        await using var bed = PullTestBed.Start();
        var weights = PullTestBed.Bytes(200_000, seed: 11);
        var entry = bed.Publish("corrupt", ("model.onnx", weights));
        var damaged = (byte[])weights.Clone();
        damaged[123_456] ^= 0x40;
        bed.Server.Serve("/publisher/corrupt/model.onnx", damaged);

        var e = await Assert.ThrowsAsync<PullException>(() => bed.PullAsync(entry));

        Assert.Equal(PullFailure.Corrupt, e.Failure);
        Assert.Contains("corrupt/model.onnx", e.Message);
        Assert.Contains(PullTestBed.Sha256(damaged), e.Message);
        Assert.Contains(PullTestBed.Sha256(weights), e.Message);
        Assert.Contains("nothing was installed", e.Message);
        Assert.Null(bed.Store.Find("corrupt"));
        Assert.Empty(bed.Store.List());
        Assert.Equal(0, new FileInfo(bed.PartFile("corrupt", "model.onnx")).Length);
    }

    [Fact]
    public async Task A_file_the_server_does_not_have_is_a_404_named_in_the_error_without_retries()
    {
        await using var bed = PullTestBed.Start();
        var entry = PullTestBed.Entry("missing", [new("model.onnx", bed.Server.Url("/nowhere/model.onnx").AbsoluteUri, 100, new string('a', 64))]);

        var e = await Assert.ThrowsAsync<PullException>(() => bed.PullAsync(entry));

        Assert.Equal(PullFailure.NotFound, e.Failure);
        Assert.Contains("404", e.Message);
        Assert.Contains("/nowhere/model.onnx", e.Message);
        Assert.Single(bed.Server.Requests);
        Assert.Null(bed.Store.Find("missing"));
    }

    [Fact]
    public async Task A_server_error_is_retried_and_then_reported_with_its_status()
    {
        await using var bed = PullTestBed.Start();
        var entry = bed.Publish("failing", ("model.onnx", PullTestBed.Bytes(1_000, seed: 12)));
        bed.Server.Serve("/publisher/failing/model.onnx", PullTestBed.Bytes(1_000, seed: 12)).FailWith(500);

        var e = await Assert.ThrowsAsync<PullException>(() => bed.PullAsync(entry));

        Assert.Equal(PullFailure.ServerError, e.Failure);
        Assert.Contains("HTTP 500", e.Message);
        Assert.Contains("3 tries", e.Message);
        Assert.Equal(bed.Options.Attempts, bed.Server.Requests.Count);
    }

    [Fact]
    public async Task A_server_error_that_passes_is_retried_until_the_download_succeeds()
    {
        await using var bed = PullTestBed.Start();
        var weights = PullTestBed.Bytes(5_000, seed: 13);
        var entry = bed.Publish("flaky", ("model.onnx", weights));
        bed.Server.Serve("/publisher/flaky/model.onnx", weights).FailWith(503, times: 2);

        await bed.PullAsync(entry);

        Assert.Equal(3, bed.Server.Requests.Count);
        Assert.NotNull(bed.Store.Find("flaky"));
    }

    [Fact]
    public async Task A_stalled_server_times_out_with_a_clear_error_and_the_bytes_so_far_are_kept()
    {
        await using var bed = PullTestBed.Start();
        var weights = PullTestBed.Bytes(100_000, seed: 14);
        var entry = bed.Publish("stalled", ("model.onnx", weights));
        bed.Server.Serve("/publisher/stalled/model.onnx", weights).StallAfter(20_000);

        var e = await Assert.ThrowsAsync<PullException>(() => bed.PullAsync(entry, bed.Options with { StallTimeout = TimeSpan.FromSeconds(1) }));

        Assert.Equal(PullFailure.Network, e.Failure);
        Assert.Contains("sent nothing for 1 s", e.Message);
        Assert.Contains("the next pull resumes", e.Message);
        // the try that brought the 20 000 bytes, then the resumed ones that brought nothing
        Assert.InRange(bed.Server.Requests.Count, bed.Options.Attempts, bed.Options.Attempts + 1);
        Assert.Equal("bytes=20000-", bed.Server.Requests[^1].Range);
        Assert.Equal(20_000, new FileInfo(bed.PartFile("stalled", "model.onnx")).Length);
        Assert.Null(bed.Store.Find("stalled"));
    }

    [Fact]
    public async Task A_server_that_sends_a_different_size_is_refused_before_the_body_is_read()
    {
        await using var bed = PullTestBed.Start();
        var entry = bed.Publish("resized", ("model.onnx", PullTestBed.Bytes(10_000, seed: 15)));
        bed.Server.Serve("/publisher/resized/model.onnx", PullTestBed.Bytes(12_000, seed: 15));

        var e = await Assert.ThrowsAsync<PullException>(() => bed.PullAsync(entry));

        Assert.Equal(PullFailure.Corrupt, e.Failure);
        Assert.Contains("serves 12000 bytes", e.Message);
        Assert.Contains("expects 10000", e.Message);
    }

    [Fact]
    public async Task Too_little_free_space_is_refused_before_any_request_with_the_numbers()
    {
        await using var bed = PullTestBed.Start();
        var entry = bed.Publish("big", ("model.onnx", PullTestBed.Bytes(50_000, seed: 16)));
        var options = bed.Options with { FreeSpace = _ => 40_000, FreeSpaceMargin = 5_000 };

        var e = await Assert.ThrowsAsync<PullException>(() => bed.PullAsync(entry, options));

        Assert.Equal(PullFailure.NotEnoughSpace, e.Failure);
        Assert.Contains("55 KB needed", e.Message);
        Assert.Contains("50 KB still to download", e.Message);
        Assert.Contains("40 KB free", e.Message);
        Assert.Empty(bed.Server.Requests);
    }

    [Fact]
    public async Task The_free_space_check_counts_only_what_is_left_to_download()
    {
        await using var bed = PullTestBed.Start();
        var weights = PullTestBed.Bytes(50_000, seed: 17);
        var entry = bed.Publish("partly", ("model.onnx", weights));
        Directory.CreateDirectory(bed.DownloadFolder("partly"));
        File.WriteAllBytes(bed.PartFile("partly", "model.onnx"), weights[..45_000]);

        await bed.PullAsync(entry, bed.Options with { FreeSpace = _ => 6_000, FreeSpaceMargin = 1_000 });

        Assert.Equal("bytes=45000-", bed.Server.Requests.Single().Range);
        Assert.NotNull(bed.Store.Find("partly"));
    }

    [Fact]
    public async Task A_disk_that_fills_up_while_writing_stops_the_pull_with_a_disk_full_error()
    {
        if (!OperatingSystem.IsLinux())
            return; // /dev/full is Linux's: every write to it fails with ENOSPC
        await using var bed = PullTestBed.Start();
        var entry = bed.Publish("full-disk", ("model.onnx", PullTestBed.Bytes(50_000, seed: 18)));
        Directory.CreateDirectory(bed.DownloadFolder("full-disk"));
        File.CreateSymbolicLink(bed.PartFile("full-disk", "model.onnx"), "/dev/full");

        var e = await Assert.ThrowsAsync<PullException>(() => bed.PullAsync(entry));

        Assert.Equal(PullFailure.DiskFull, e.Failure);
        Assert.Contains("the disk is full", e.Message);
        Assert.Contains("full-disk/model.onnx", e.Message);
        Assert.Null(bed.Store.Find("full-disk"));
    }
}
