using System.Text.Json.Nodes;
using EditorBridge.Client;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace EditorBridge.EndToEnd.Tests;

/// <summary>
/// The shared-memory pixel path beside the byte paths: the same pixels come back whichever way
/// they travel, the timings say which way that was, and a refused region makes the .NET client
/// send bytes instead of failing.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SharedMemoryTests : IAsyncLifetime
{
    private RunningDaemon daemon = null!;

    public async Task InitializeAsync() => daemon = await RunningDaemon.StartAsync(extraEngines: [TestEngines.Echo(), TestEngines.Tweak()]);

    public async Task DisposeAsync() => await daemon.DisposeAsync();

    // A seeded random layer through one operation, by gRPC bytes and then by gRPC shared memory.
    private async Task<(byte[] Layer, JobResult Bytes, JobResult Shared)> BothPathsAsync(string operation, int side, PixelFormat format, int seed)
    {
        var layer = new byte[side * side * (format == PixelFormat.Rgba16 ? 8 : 4)];
        new Random(seed).NextBytes(layer);
        var (bytes, shared) = await BothPathsAsync(new JobRequest { Operation = operation, Layer = new Image { Width = side, Height = side, Format = format, Data = ByteString.CopyFrom(layer) } });
        return (layer, bytes, shared);
    }

    private async Task<(JobResult Bytes, JobResult Shared)> BothPathsAsync(JobRequest request)
    {
        daemon.Client.SharedMemory = false;
        var bytes = await daemon.Client.RunJobAsync(request);
        daemon.Client.SharedMemory = true;
        return (bytes, await daemon.Client.RunJobAsync(request));
    }

    [Theory]
    [InlineData(PixelFormat.Rgba8)]
    [InlineData(PixelFormat.Rgba16)]
    public async Task A_layer_comes_back_bit_exact_by_every_path_and_a_no_op_is_the_identity(PixelFormat format)
    {
        const int Side = 512;
        var (layer, bytes, shared) = await BothPathsAsync("noop", Side, format, seed: 7);
        var json = await JsonSharedAsync(Side, format, layer);

        Assert.Equal(("bytes", "bytes"), (bytes.Provenance.Timings.PixelsIn, bytes.Provenance.Timings.PixelsOut));
        Assert.Equal(("shared-memory", "shared-memory"), (shared.Provenance.Timings.PixelsIn, shared.Provenance.Timings.PixelsOut));
        Assert.True(shared.Layer.Data.Span.SequenceEqual(bytes.Layer.Data.Span), "gRPC shared memory and gRPC bytes differ");
        Assert.True(json.AsSpan().SequenceEqual(bytes.Layer.Data.Span), "JSON shared memory and gRPC bytes differ");
        Assert.True(bytes.Layer.Data.Span.SequenceEqual(layer), "the no-op changed the layer");
    }

    [Theory]
    [InlineData(PixelFormat.Rgba8)]
    [InlineData(PixelFormat.Rgba16)]
    public async Task A_layer_an_engine_changed_in_places_comes_back_through_shared_memory_as_by_bytes(PixelFormat format)
    {
        // the daemon writes a whole-layer answer straight into the region (16 bits: widened there over
        // its snapshot): changed channels widened, the others with the layer's own bits
        const int Side = 301;
        int bpp = format == PixelFormat.Rgba16 ? 8 : 4;
        var (layer, bytes, shared) = await BothPathsAsync("tweak", Side, format, seed: 13);

        Assert.Equal("shared-memory", shared.Provenance.Timings.PixelsOut);
        Assert.True(shared.Layer.Data.Span.SequenceEqual(bytes.Layer.Data.Span), "gRPC shared memory and gRPC bytes differ");
        var back = shared.Layer.Data.ToByteArray();
        for (int c = 0; c < Side * Side * 4; c++)
        {
            int before = bpp == 8 ? layer[2 * c] | layer[2 * c + 1] << 8 : layer[c];
            int after = bpp == 8 ? back[2 * c] | back[2 * c + 1] << 8 : back[c];
            int narrow = bpp == 8 ? (before + 128) / 257 : before;
            int expected = c % 7 != 0 ? before : bpp == 8 ? (narrow ^ 0x40) * 257 : before ^ 0x40;
            Assert.True(expected == after, $"channel {c}: {after}, expected {expected}");
        }
    }

    [Fact]
    public async Task A_result_comes_into_the_callers_buffer_bit_exact_and_a_small_buffer_is_left_alone()
    {
        const int Side = 512;
        var layer = new byte[Side * Side * 8];
        new Random(11).NextBytes(layer);
        var request = new JobRequest { Operation = "noop", Layer = new Image { Width = Side, Height = Side, Format = PixelFormat.Rgba16, Data = ByteString.CopyFrom(layer) } };
        var buffer = new byte[layer.Length + 100];
        Array.Fill(buffer, (byte)0xEE);
        var small = new byte[layer.Length - 1];

        var into = await daemon.Client.RunJobIntoAsync(request, buffer);
        var notInto = await daemon.Client.RunJobIntoAsync(request, small);

        Assert.Equal("shared-memory", into.Provenance.Timings.PixelsOut);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(into.Layer.Data.Memory, out var segment) && ReferenceEquals(segment.Array, buffer) && segment.Offset == 0,
            "the result is not in the caller's buffer");
        Assert.Equal(layer.Length, into.Layer.Data.Length);
        Assert.True(buffer.AsSpan(0, layer.Length).SequenceEqual(layer), "the buffer does not hold the layer");
        Assert.All(buffer[layer.Length..], b => Assert.Equal(0xEE, b));
        Assert.True(notInto.Layer.Data.Span.SequenceEqual(layer), "a result larger than the buffer differs");
        Assert.All(small, b => Assert.Equal(0, b));
    }

    [Fact]
    public async Task A_kept_regions_next_job_reuses_the_last_input_array_and_each_result_is_its_own_layer()
    {
        const int Side = 512;
        using var connection = DaemonConnection.Open(daemon.Host.Discovery, daemon.Token, daemon.Host.Paths);
        long before = daemon.Regions().ReusedSnapshots;
        for (int seed = 0; seed < 4; seed++)
        {
            var layer = new byte[Side * Side * 4];
            new Random(seed).NextBytes(layer);
            var request = new JobRequest { Operation = "noop", Layer = new Image { Width = Side, Height = Side, Format = PixelFormat.Rgba8, Data = ByteString.CopyFrom(layer) } };

            var result = await connection.Client.RunJobAsync(request);

            Assert.Equal("shared-memory", result.Provenance.Timings.PixelsOut);
            Assert.True(result.Layer.Data.Span.SequenceEqual(layer), $"job {seed}: not its own layer back");
        }

        Assert.Equal(3, daemon.Regions().ReusedSnapshots - before);
    }

    [Fact]
    public async Task Guard_an_input_whose_result_went_as_a_blob_is_not_reused()
    {
        // the blob may hold the very array (a no-op answers its input): handing it to the next job would change a stored result
        const int Side = 512;
        var layer = new byte[Side * Side * 4];
        new Random(4).NextBytes(layer);
        var (id, path) = await RegionCalls.CreateAsync(daemon.Http, layer.Length);
        RegionCalls.Write(path, 0, layer);
        long before = daemon.Regions().ReusedSnapshots;
        var blobs = new List<string>();
        for (int i = 0; i < 2; i++)
        {
            var job = new JsonObject
            {
                ["operation"] = "noop",
                ["layer"] = RegionCalls.Layer(Side, "PIXEL_FORMAT_RGBA8", RegionCalls.Place(id, 0, layer.Length)),
                ["resultDelivery"] = "RESULT_DELIVERY_BLOB",
            };
            var (status, last) = await RegionCalls.RunAsync(daemon.Http, job);
            Assert.True(status == 200 && last["result"] is not null, last.ToJsonString());
            blobs.Add((string)last["result"]!["layer"]!["blobId"]!);
            RegionCalls.Write(path, 0, new byte[layer.Length]); // the next job's input: all zero
        }

        Assert.Equal(0, daemon.Regions().ReusedSnapshots - before);
        var first = await daemon.Http.GetByteArrayAsync($"/v1/blobs/{blobs[0]}");
        Assert.Equal(layer, first);
    }

    [Fact]
    public async Task A_fill_with_a_mask_through_shared_memory_gives_the_byte_paths_pixels()
    {
        var picture = TestPictures.Load("grass.png");
        var (bytes, shared) = await BothPathsAsync(WireRequests.Fill(picture, WireRequests.Rectangle(100, 100, 120, 90), "telea"));

        Assert.Equal("shared-memory", shared.Provenance.Timings.PixelsIn);
        Assert.Equal((bytes.Layer.Width, bytes.Layer.Height, bytes.Layer.OffsetX), (shared.Layer.Width, shared.Layer.Height, shared.Layer.OffsetX));
        Assert.True(shared.Layer.Data.Span.SequenceEqual(bytes.Layer.Data.Span), "the fill differs by path");
    }

    [Fact]
    public async Task Regions_count_against_the_blob_budget_and_a_released_region_gives_it_back()
    {
        var (id, path) = await RegionCalls.CreateAsync(daemon.Http, 3 << 20);
        Assert.Equal(3L << 20, daemon.Blobs().UsedBytes);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        // its blocks are reserved (a full disk refuses the region, no SIGBUS later); guard: a file only
        // set to that length beside it has none
        Assert.True(AllocatedBytes(path) >= 3L << 20, $"{AllocatedBytes(path)} bytes allocated");
        var sparse = Path.Combine(daemon.StateDirectory, "sparse-guard");
        using (var file = File.Create(sparse))
            file.SetLength(3 << 20);
        Assert.True(AllocatedBytes(sparse) < 1 << 20, $"a sparse file: {AllocatedBytes(sparse)} bytes allocated");

        var response = await daemon.Http.DeleteAsync($"/v1/regions/{id}");

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal(0, daemon.Blobs().UsedBytes);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task The_client_sends_bytes_when_the_daemon_refuses_shared_memory()
    {
        await using var off = await RunningDaemon.StartAsync(o => o.SharedMemory = false, [TestEngines.Echo()]);
        var layer = new byte[512 * 512 * 4];
        new Random(3).NextBytes(layer);
        var request = new JobRequest { Operation = "noop", Layer = new Image { Width = 512, Height = 512, Format = PixelFormat.Rgba8, Data = ByteString.CopyFrom(layer) } };

        var result = await off.Client.RunJobAsync(request);

        Assert.StartsWith("bytes (shared memory refused: ", result.Provenance.Timings.PixelsIn);
        Assert.Contains("shared memory is off", result.Provenance.Timings.PixelsIn);
        Assert.Equal(layer.Length, result.Layer.Data.Length);
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await off.Client.Raw.CreatePixelRegionAsync(new CreatePixelRegionRequest { SizeBytes = 4096 }));
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
    }

    [Fact]
    public async Task The_client_sends_bytes_when_a_region_would_break_the_blob_budget()
    {
        await using var small = await RunningDaemon.StartAsync(o => o.Limits.BlobBudgetBytes = 1 << 20, [TestEngines.Echo()]);
        var request = new JobRequest { Operation = "noop", Layer = new Image { Width = 1024, Height = 1024, Format = PixelFormat.Rgba8, Data = ByteString.CopyFrom(new byte[1 << 22]) } };

        var result = await small.Client.RunJobAsync(request);

        Assert.StartsWith("bytes (shared memory refused: size_bytes: blob store is full", result.Provenance.Timings.PixelsIn);
        Assert.Equal(0, small.Blobs().UsedBytes);
    }

    [Fact]
    public async Task The_client_keeps_one_region_for_the_next_job_and_it_goes_with_the_connection()
    {
        var request = new JobRequest { Operation = "noop", Layer = new Image { Width = 512, Height = 512, Format = PixelFormat.Rgba8, Data = ByteString.CopyFrom(new byte[512 * 512 * 4]) } };
        using var connection = DaemonConnection.Open(daemon.Host.Discovery, daemon.Token, daemon.Host.Paths);
        for (int i = 0; i < 3; i++)
            await connection.Client.RunJobAsync(request);
        Assert.Equal(1, daemon.Regions().Count);

        connection.Dispose();

        await WaitUntilAsync(() => daemon.Regions().Count == 0);
        Assert.Equal((0, 0), RegionCalls.Leftovers(daemon));
    }

    private async Task<byte[]> JsonSharedAsync(int side, PixelFormat format, byte[] layer)
    {
        var (id, path) = await RegionCalls.CreateAsync(daemon.Http, layer.Length);
        RegionCalls.Write(path, 0, layer);
        var job = new JsonObject
        {
            ["operation"] = "noop",
            ["layer"] = RegionCalls.Layer(side, format == PixelFormat.Rgba16 ? "PIXEL_FORMAT_RGBA16" : "PIXEL_FORMAT_RGBA8", RegionCalls.Place(id, 0, layer.Length)),
            ["resultRegion"] = RegionCalls.Place(id, 0, layer.Length),
            ["resultDelivery"] = "RESULT_DELIVERY_BLOB",
        };
        using var mapping = System.IO.MemoryMappedFiles.MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, System.IO.MemoryMappedFiles.MemoryMappedFileAccess.ReadWrite);
        job["releaseBlobs"] = true; // the region goes with the job; our mapping stays readable
        var (status, last) = await RegionCalls.RunAsync(daemon.Http, job);
        Assert.True(status == 200 && last["result"] is not null, last.ToJsonString());
        var at = last["result"]!["layer"]!["region"]!;
        Assert.Equal(id, (string)at["regionId"]!);
        Assert.Equal("shared-memory", (string)last["result"]!["provenance"]!["timings"]!["pixelsOut"]!);
        Assert.False(File.Exists(path), "the job's end did not free its region");
        var back = new byte[long.Parse((string)at["length"]!)];
        using var view = mapping.CreateViewAccessor(0, 0);
        view.ReadArray(long.Parse((string?)at["offset"] ?? "0"), back, 0, back.Length);
        return back;
    }

    // st_blocks × 512 (coreutils' stat: .NET has no call for it)
    private static long AllocatedBytes(string path)
    {
        var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%b %B", path]) { RedirectStandardOutput = true })!;
        var fields = stat.StandardOutput.ReadToEnd().Split(' ', StringSplitOptions.TrimEntries);
        stat.WaitForExit();
        return long.Parse(fields[0]) * long.Parse(fields[1]);
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 300 && !condition(); i++)
            await Task.Delay(50);
        Assert.True(condition(), "not within 15 s");
    }
}
