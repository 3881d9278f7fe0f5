using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using EditorBridge.Daemon.Blobs;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace EditorBridge.EndToEnd.Tests;

/// <summary>
/// Every rule of the shared-memory path against a client that breaks it: a region is named by the
/// daemon's id, never by a path; a link or a planted file is never read or written; sizes and
/// offsets are checked before any copy; a region dies with its job, its connection and its daemon;
/// and a thousand clients that go away mid-job leave no file and no mapping behind.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SharedMemoryHostileTests : IAsyncLifetime
{
    private const int Side = 32;
    private const int LayerBytes = Side * Side * 4;
    private RunningDaemon daemon = null!;

    public async Task InitializeAsync() => daemon = await RunningDaemon.StartAsync(
        o => o.Limits.MaxConcurrentJobsPerDevice = 4,
        [TestEngines.Echo(), TestEngines.Slow(steps: 2000, stepMilliseconds: 5)]);

    public async Task DisposeAsync() => await daemon.DisposeAsync();

    [Theory]
    [InlineData("../token")]
    [InlineData("../../../../etc/passwd")]
    [InlineData("rgn-../../daemon.json")]
    [InlineData("/etc/passwd")]
    public async Task A_region_named_like_a_path_is_refused_and_nothing_is_read(string name)
    {
        var token = await File.ReadAllBytesAsync(Path.Combine(daemon.StateDirectory, "token"));
        var (status, last) = await RegionCalls.RunAsync(daemon.Http, Job(RegionCalls.Place(name, 0, LayerBytes)));

        Assert.Equal(400, status);
        Assert.StartsWith("layer.region: ", (string)last["message"]!);
        Assert.Contains("is not a region id", (string)last["message"]!);
        Assert.Equal(token, await File.ReadAllBytesAsync(Path.Combine(daemon.StateDirectory, "token")));
    }

    [Fact]
    public async Task A_file_planted_in_the_folder_is_unknown_whatever_it_is_called()
    {
        var folder = daemon.Regions().Directory;
        var planted = Path.Combine(folder, "px-00000000000000000000000000000000");
        await File.WriteAllBytesAsync(planted, new byte[LayerBytes]);
        const string wellFormed = "rgn-000000000000000000000000";

        var byName = await RegionCalls.RunAsync(daemon.Http, Job(RegionCalls.Place(Path.GetFileName(planted), 0, LayerBytes)));
        var byId = await RegionCalls.RunAsync(daemon.Http, Job(RegionCalls.Place(wellFormed, 0, LayerBytes)));

        Assert.Equal(400, byName.Status);
        Assert.Equal(404, byId.Status);
        Assert.Contains("no pixel region", (string)byId.Last["message"]!);
        File.Delete(planted);
    }

    [Fact]
    public async Task A_region_file_swapped_for_a_link_changes_nothing_outside_the_daemons_mapping()
    {
        using var temp = new TempDirectory("victim");
        var victim = Path.Combine(temp.Path, "painting.raw");
        var original = Enumerable.Range(0, LayerBytes).Select(i => (byte)(i * 7)).ToArray();
        await File.WriteAllBytesAsync(victim, original);
        var (id, path) = await RegionCalls.CreateAsync(daemon.Http, LayerBytes);
        var layer = Enumerable.Repeat((byte)200, LayerBytes).ToArray();
        RegionCalls.Write(path, 0, layer);
        File.Delete(path);
        File.CreateSymbolicLink(path, victim);

        var job = Job(RegionCalls.Place(id, 0, LayerBytes));
        job["resultRegion"] = RegionCalls.Place(id, 0, LayerBytes);
        var (status, last) = await RegionCalls.RunAsync(daemon.Http, job);

        Assert.True(status == 200 && last["result"] is not null, last.ToJsonString());
        Assert.Equal("shared-memory", (string)last["result"]!["provenance"]!["timings"]!["pixelsIn"]!);
        Assert.Equal(original, await File.ReadAllBytesAsync(victim));
        await daemon.Http.DeleteAsync($"/v1/regions/{id}");
        Assert.Equal(original, await File.ReadAllBytesAsync(victim));
        Assert.True(File.Exists(victim));
    }

    [Theory]
    [InlineData(0, LayerBytes * 2)] // longer than the region
    [InlineData(LayerBytes / 2, LayerBytes)] // runs past its end
    [InlineData(-1, LayerBytes)]
    [InlineData(long.MaxValue - 8, LayerBytes)] // offset + length overflows
    public async Task A_reference_outside_the_region_is_refused_before_any_copy(long offset, long length)
    {
        var (id, _) = await RegionCalls.CreateAsync(daemon.Http, LayerBytes);
        var layer = length == LayerBytes * 2
            ? new JsonObject { ["width"] = Side * 2, ["height"] = Side, ["format"] = "PIXEL_FORMAT_RGBA8", ["region"] = RegionCalls.Place(id, offset, length) }
            : RegionCalls.Layer(Side, "PIXEL_FORMAT_RGBA8", RegionCalls.Place(id, offset, length));
        var job = Job(RegionCalls.Place(id, 0, 0));
        job["layer"] = layer;

        var (status, last) = await RegionCalls.RunAsync(daemon.Http, job);

        Assert.Equal(400, status);
        Assert.Contains("outside the region", (string)last["message"]!);
        Assert.StartsWith("layer.region: ", (string)last["message"]!);
    }

    [Fact]
    public async Task A_result_place_outside_the_region_is_refused_before_the_job_runs()
    {
        var (id, path) = await RegionCalls.CreateAsync(daemon.Http, LayerBytes);
        RegionCalls.Write(path, 0, new byte[LayerBytes]);
        var job = Job(RegionCalls.Place(id, 0, LayerBytes));
        job["resultRegion"] = RegionCalls.Place(id, 16, LayerBytes);

        var (status, last) = await RegionCalls.RunAsync(daemon.Http, job);

        Assert.Equal(400, status);
        Assert.StartsWith("result_region: ", (string)last["message"]!);
    }

    [Fact]
    public async Task A_result_too_large_for_its_place_comes_back_the_other_way()
    {
        var (id, _) = await RegionCalls.CreateAsync(daemon.Http, LayerBytes);
        var job = Job(RegionCalls.Place(id, 0, LayerBytes));
        job["resultRegion"] = RegionCalls.Place(id, 0, LayerBytes - 1);

        var (status, last) = await RegionCalls.RunAsync(daemon.Http, job);

        Assert.True(status == 200 && last["result"] is not null, last.ToJsonString());
        Assert.NotNull(last["result"]!["layer"]!["blobId"]);
        Assert.Equal("blob", (string)last["result"]!["provenance"]!["timings"]!["pixelsOut"]!);
        await daemon.Http.GetByteArrayAsync($"/v1/blobs/{(string)last["result"]!["layer"]!["blobId"]!}");
    }

    [Fact]
    public async Task A_region_named_after_its_job_ended_is_not_found()
    {
        var (id, _) = await RegionCalls.CreateAsync(daemon.Http, LayerBytes);
        var job = Job(RegionCalls.Place(id, 0, LayerBytes));
        job["releaseBlobs"] = true;
        var first = await RegionCalls.RunAsync(daemon.Http, job);
        Assert.Equal(200, first.Status);

        var (status, last) = await RegionCalls.RunAsync(daemon.Http, Job(RegionCalls.Place(id, 0, LayerBytes)));
        var release = await daemon.Http.DeleteAsync($"/v1/regions/{id}");

        Assert.Equal(404, status);
        Assert.StartsWith("layer.region: no pixel region", (string)last["message"]!);
        Assert.Equal(HttpStatusCode.NotFound, release.StatusCode);
    }

    [Fact]
    public async Task Without_the_token_no_region_is_made_or_released()
    {
        using var stranger = new HttpClient { BaseAddress = daemon.Http.BaseAddress };
        var (id, _) = await RegionCalls.CreateAsync(daemon.Http, LayerBytes);
        stranger.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", new string('0', 64));

        var create = await stranger.PostAsync("/v1/regions", new StringContent("{\"sizeBytes\":4096}", System.Text.Encoding.UTF8, "application/json"));
        var release = await stranger.DeleteAsync($"/v1/regions/{id}");

        Assert.Equal(HttpStatusCode.Unauthorized, create.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, release.StatusCode);
        Assert.Equal(1, daemon.Regions().Count);
    }

    [Fact]
    public async Task A_thousand_clients_that_go_away_mid_job_leave_no_file_and_no_mapping()
    {
        var layer = new byte[LayerBytes];
        await Parallel.ForAsync(0, 1000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            // half close their connection with the job running; half make a region and close before any job
            using var channel = RawCalls.Channel(daemon.Host.Discovery.GrpcPort);
            var client = new Protocol.V1.EditorBridge.EditorBridgeClient(channel);
            var auth = new Metadata { { "authorization", $"Bearer {daemon.Token}" } };
            var region = await client.CreatePixelRegionAsync(new CreatePixelRegionRequest { SizeBytes = LayerBytes }, auth);
            if (i % 2 == 1)
                return;
            using var cancel = new CancellationTokenSource();
            var request = new JobRequest
            {
                Operation = "busy",
                Layer = new Image { Width = Side, Height = Side, Format = PixelFormat.Rgba8, Region = new RegionRef { RegionId = region.RegionId, Length = LayerBytes } },
                ResultRegion = new RegionRef { RegionId = region.RegionId, Length = LayerBytes },
                ReleaseBlobs = i % 4 == 0,
            };
            using var call = client.RunJob(request, auth, cancellationToken: cancel.Token);
            await call.ResponseStream.MoveNext(CancellationToken.None); // queued or started: the job is on
            cancel.Cancel();
        });

        await SharedMemoryTests.WaitUntilAsync(() => daemon.Regions().Count == 0 && RegionCalls.Leftovers(daemon) == (0, 0));
        Assert.Equal(0, daemon.Blobs().UsedBytes);
    }

    [Fact]
    public async Task A_daemon_starts_with_an_empty_owner_only_folder_whatever_was_left_there()
    {
        using var state = new TempDirectory("ebleft");
        var folder = Path.Combine(state.Path, "state", "regions");
        Directory.CreateDirectory(Path.Combine(folder, "sub"));
        var victim = Path.Combine(state.Path, "keep.raw");
        await File.WriteAllBytesAsync(victim, [1, 2, 3]);
        await File.WriteAllBytesAsync(Path.Combine(folder, "px-leftover"), new byte[4096]);
        File.CreateSymbolicLink(Path.Combine(folder, "px-link"), victim);
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);

        var host = await Daemon.Hosting.DaemonHost.StartAsync(new Daemon.Core.DaemonOptions
        {
            StateDirectory = Path.Combine(state.Path, "state"),
            EnginesDirectory = RunningDaemon.BundledEnginesDirectory,
            ModelsDirectory = Path.Combine(state.Path, "models"),
        });
        await host.DisposeAsync();

        Assert.Empty(Directory.GetFileSystemEntries(folder));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(victim));
    }

    private static JsonObject Job(JsonObject place) => new()
    {
        ["operation"] = "noop",
        ["layer"] = RegionCalls.Layer(Side, "PIXEL_FORMAT_RGBA8", place),
        ["resultDelivery"] = "RESULT_DELIVERY_BLOB",
    };
}
