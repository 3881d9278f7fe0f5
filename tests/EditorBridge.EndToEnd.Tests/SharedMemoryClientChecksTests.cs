using System.Diagnostics;
using EditorBridge.Client;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace EditorBridge.EndToEnd.Tests;

/// <summary>
/// The .NET client against a server that lies about its region (a stale discovery file can lead a
/// client to another user's server): it maps only a <c>px-</c> file directly in its own regions
/// folder, of this user, not a link, of exactly the size named, never creating or growing one; else
/// it sends bytes and says why. And a kept region that went away, whose re-creation is refused,
/// still gives the job its bytes path.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SharedMemoryClientChecksTests : IAsyncLifetime
{
    private const int Side = 512;
    private const long RegionBytes = 2 << 20; // what the client asks for a 1 MiB layer (+ mask room, rounded to MiB)
    private RunningDaemon daemon = null!;
    private readonly TempDirectory temp = new("ebvictim");

    public async Task InitializeAsync() => daemon = await RunningDaemon.StartAsync(extraEngines: [TestEngines.Echo()]);

    public async Task DisposeAsync()
    {
        foreach (var channel in channels)
            channel.Dispose();
        await daemon.DisposeAsync();
        temp.Dispose();
    }

    [Theory]
    [InlineData("a painter's file elsewhere")]
    [InlineData("a region name beside the regions folder, reached with ..")]
    [InlineData("the region's file swapped for a link")]
    [InlineData("another file in the regions folder")]
    [InlineData("the region's file, said to be larger")]
    [InlineData("the region's file, another user's")]
    public async Task A_file_that_is_not_this_users_region_is_never_mapped_and_the_job_goes_as_bytes(string lie)
    {
        if (lie.EndsWith("another user's", StringComparison.Ordinal) && Environment.UserName != "root")
            return; // giving a file away (chown) needs root; the test machines and CI run as root
        var original = Enumerable.Range(0, (int)RegionBytes).Select(i => (byte)(i * 13 + 1)).ToArray();
        var regions = daemon.Host.Paths.RegionsDirectory;
        string victim = lie switch
        {
            "a painter's file elsewhere" => temp.File("thesis.odt"),
            "a region name beside the regions folder, reached with .." => Path.Combine(daemon.StateDirectory, "px-0123456789abcdef0123456789abcdef"),
            "another file in the regions folder" => Path.Combine(regions, "painting.raw"),
            _ => temp.File("painting.raw"),
        };
        await File.WriteAllBytesAsync(victim, original);
        string? regionFile = null;
        FileStream? kept = null; // the region's file as it was, after the daemon deleted its name
        var client = Client(daemon, made =>
        {
            regionFile = made.Path;
            switch (lie)
            {
                case "a painter's file elsewhere" or "another file in the regions folder":
                    made.Path = victim;
                    break;
                case "a region name beside the regions folder, reached with ..":
                    made.Path = Path.Combine(regions, "..", Path.GetFileName(victim));
                    break;
                case "the region's file swapped for a link":
                    File.Delete(made.Path);
                    File.CreateSymbolicLink(made.Path, victim);
                    break;
                case "the region's file, said to be larger":
                    kept = new FileStream(made.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                    made.SizeBytes *= 2;
                    break;
                default:
                    GiveAway(made.Path);
                    break;
            }

            return made;
        });
        var layer = new byte[Side * Side * 4];
        new Random(5).NextBytes(layer);

        var result = await client.RunJobAsync(new JobRequest { Operation = "noop", Layer = new Image { Width = Side, Height = Side, Format = PixelFormat.Rgba8, Data = ByteString.CopyFrom(layer) } });

        Assert.StartsWith("bytes (shared memory refused: cannot map the daemon's region: ", result.Provenance.Timings.PixelsIn);
        Assert.True(result.Layer.Data.Span.SequenceEqual(layer), "the job's pixels differ");
        Assert.NotNull(regionFile);
        Assert.Equal(original, await File.ReadAllBytesAsync(victim));
        if (kept is not null)
        {
            Assert.Equal(RegionBytes, kept.Length); // never grown
            kept.Dispose();
        }
        await SharedMemoryTests.WaitUntilAsync(() => daemon.Regions().Count == 0); // the refused region was given back
        Assert.Equal(0, daemon.Blobs().UsedBytes);
    }

    [Fact]
    public async Task A_region_file_of_this_user_in_its_folder_is_mapped()
    {
        // the other side of the theory above: the same client, told the truth, shares memory
        var client = Client(daemon, made => made);
        var layer = new byte[Side * Side * 4];
        new Random(6).NextBytes(layer);

        var result = await client.RunJobAsync(new JobRequest { Operation = "noop", Layer = new Image { Width = Side, Height = Side, Format = PixelFormat.Rgba8, Data = ByteString.CopyFrom(layer) } });

        Assert.Equal(("shared-memory", "shared-memory"), (result.Provenance.Timings.PixelsIn, result.Provenance.Timings.PixelsOut));
        Assert.True(result.Layer.Data.Span.SequenceEqual(layer), "the job's pixels differ");
    }

    [Fact]
    public async Task Guard_when_the_kept_region_is_gone_and_a_new_one_is_refused_the_job_goes_as_bytes()
    {
        await using var small = await RunningDaemon.StartAsync(o => o.Limits.BlobBudgetBytes = RegionBytes, [TestEngines.Echo()]);
        var made = new List<string>();
        var client = Client(small, region =>
        {
            made.Add(region.RegionId);
            return region;
        });
        var layer = new byte[Side * Side * 4];
        new Random(8).NextBytes(layer);
        var request = new JobRequest { Operation = "noop", Layer = new Image { Width = Side, Height = Side, Format = PixelFormat.Rgba8, Data = ByteString.CopyFrom(layer) } };
        var first = await client.RunJobAsync(request);
        Assert.Equal("shared-memory", first.Provenance.Timings.PixelsIn);

        // the kept region goes (as when its idle connection closed) and another client takes the whole budget
        Assert.True(small.Regions().Release(made.Single()));
        await RegionCalls.CreateAsync(small.Http, RegionBytes);
        var second = await client.RunJobAsync(request);

        Assert.StartsWith("bytes (shared memory refused: size_bytes: blob store is full", second.Provenance.Timings.PixelsIn);
        Assert.True(second.Layer.Data.Span.SequenceEqual(layer), "the job's pixels differ");
    }

    private readonly List<GrpcChannel> channels = [];

    // A client of the daemon whose CreatePixelRegion answers pass through change first.
    private EditorBridgeClient Client(RunningDaemon target, Func<PixelRegion, PixelRegion> change)
    {
        var channel = RawCalls.Channel(target.Host.Discovery.GrpcPort);
        channels.Add(channel);
        var invoker = channel.Intercept(new Answers(change)).Intercept(metadata =>
        {
            metadata.Add("authorization", $"Bearer {target.Token}");
            return metadata;
        });
        return new EditorBridgeClient(new Protocol.V1.EditorBridge.EditorBridgeClient(invoker), target.Host.Paths);
    }

    private static void GiveAway(string path)
    {
        using var chown = Process.Start("chown", ["65534:65534", path])!;
        chown.WaitForExit();
        Assert.Equal(0, chown.ExitCode);
    }

    private sealed class Answers(Func<PixelRegion, PixelRegion> change) : Interceptor
    {
        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
        {
            var call = continuation(request, context);
            return new AsyncUnaryCall<TResponse>(Changed(call.ResponseAsync), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
        }

        private async Task<TResponse> Changed<TResponse>(Task<TResponse> answer)
        {
            var response = await answer;
            return response is PixelRegion made ? (TResponse)(object)change(made) : response;
        }
    }
}
