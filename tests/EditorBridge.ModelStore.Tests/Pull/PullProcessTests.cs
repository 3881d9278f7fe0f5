using EditorBridge.ModelStore.Pull;

namespace EditorBridge.ModelStore.Tests.Pull;

/// <summary>Pulls in a child process: killed mid-pull, holding the lock, and reading the proxy variables.</summary>
public sealed class PullProcessTests
{
    [Fact]
    public async Task A_pull_killed_mid_download_holds_the_lock_while_it_lives_and_the_next_pull_resumes_its_bytes()
    {
        await using var bed = PullTestBed.Start();
        var weights = PullTestBed.Bytes(2_000_000, seed: 31);
        var entry = bed.Publish("killed", ("model.onnx", weights));
        bed.Server.Serve("/publisher/killed/model.onnx", weights).StallAfter(1_200_000, times: 1);
        using var child = ChildPull.Start(bed.Store.Root, entry, bed.Scratch);
        await WaitUntilAsync(() => child.Lines.Contains("progress 1200000"));

        var busy = await Assert.ThrowsAsync<PullException>(() => bed.PullAsync(entry));
        Assert.Equal(PullFailure.AlreadyRunning, busy.Failure);

        await child.KillAsync();
        await bed.PullAsync(entry);

        Assert.Equal("bytes=1200000-", bed.Server.Requests[^1].Range);
        Assert.Equal(weights.Length - 1_200_000, bed.Server.Requests[^1].BytesSent);
        Assert.Equal(weights, File.ReadAllBytes(Path.Combine(bed.Store.Find("killed")!.Directory, "model.onnx")));
    }

    [Fact]
    public async Task HTTP_PROXY_sends_plain_http_requests_through_the_proxy()
    {
        await using var bed = PullTestBed.Start();
        var weights = PullTestBed.Bytes(20_000, seed: 32);
        // models.invalid cannot resolve: only a proxy can answer for it
        var entry = PullTestBed.Entry("proxied", [new("model.onnx", "http://models.invalid/proxied/model.onnx", weights.Length, PullTestBed.Sha256(weights))]);
        bed.Server.Serve("/proxied/model.onnx", weights);
        using var child = ChildPull.Start(bed.Store.Root, entry, bed.Scratch, new Dictionary<string, string> { ["HTTP_PROXY"] = bed.Server.BaseAddress.AbsoluteUri });

        Assert.Equal(0, await child.ExitAsync());

        var request = Assert.Single(bed.Server.Requests);
        Assert.Equal("http://models.invalid/proxied/model.onnx", request.Target);
        Assert.Equal("models.invalid", request.Host);
        Assert.NotNull(bed.Store.Find("proxied"));
    }

    [Fact]
    public async Task HTTPS_PROXY_tunnels_https_requests_through_the_proxy()
    {
        await using var bed = PullTestBed.Start();
        var entry = PullTestBed.Entry("tunnelled", [new("model.onnx", "https://models.invalid/tunnelled/model.onnx", 10, new string('c', 64))]);
        using var child = ChildPull.Start(bed.Store.Root, entry, bed.Scratch, new Dictionary<string, string> { ["HTTPS_PROXY"] = bed.Server.BaseAddress.AbsoluteUri });

        Assert.Equal(1, await child.ExitAsync());

        var connect = Assert.Single(bed.Server.Requests);
        Assert.Equal("CONNECT", connect.Method);
        Assert.Equal("models.invalid:443", connect.Target);
        Assert.Contains(child.Lines, line => line.StartsWith("failed Network", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NO_PROXY_sends_its_hosts_directly()
    {
        await using var bed = PullTestBed.Start();
        var weights = PullTestBed.Bytes(20_000, seed: 33);
        var entry = bed.Publish("direct", ("model.onnx", weights));
        var proxy = bed.Server.BaseAddress.AbsoluteUri;

        using (var proxied = ChildPull.Start(bed.Store.Root, entry, bed.Scratch, new Dictionary<string, string> { ["HTTP_PROXY"] = proxy }))
            Assert.Equal(0, await proxied.ExitAsync());
        bed.Store.Remove("direct");
        using (var direct = ChildPull.Start(bed.Store.Root, entry, bed.Scratch, new Dictionary<string, string> { ["HTTP_PROXY"] = proxy, ["NO_PROXY"] = "127.0.0.1" }))
            Assert.Equal(0, await direct.ExitAsync());

        // a proxy gets the absolute URL; a direct request only the path
        Assert.Equal([entry.Files[0].Url, "/publisher/direct/model.onnx"], bed.Server.Requests.Select(r => r.Target));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("the child pull did not get there within 60 s");
            await Task.Delay(20);
        }
    }
}
