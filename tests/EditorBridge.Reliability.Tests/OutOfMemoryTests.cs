using EditorBridge.Client;
using EditorBridge.Protocol.V1;
using EditorBridge.Stress;
using EditorBridge.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace EditorBridge.Reliability.Tests;

/// <summary>
/// A valid request the daemon has no memory to read is RESOURCE_EXHAUSTED, not "corrupt": found
/// by running the load with the daemon's heap capped, where requests that failed to be read for
/// want of memory were answered "the RunJob message could not be read (truncated, corrupt or not
/// protobuf)". The daemon here runs with a 96 MiB heap and gets a 64 MiB layer (the message and
/// the parsed layer do not fit together).
/// </summary>
public sealed class OutOfMemoryTests : IAsyncLifetime
{
    private readonly TempDirectory folder = new("ebmem");
    private DaemonProcess daemon = null!;

    public async Task InitializeAsync() =>
        daemon = await DaemonProcess.StartAsync(Path.Combine(folder.Path, "state"), new DaemonSettings(MaxRequestBytes: 512L << 20, MaxSide: 8192, MaxPixels: 8192L * 8192),
            faultEngine: false, environment: new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x6000000" });

    public async Task DisposeAsync()
    {
        await daemon.DisposeAsync();
        folder.Dispose();
    }

    [Fact]
    public async Task A_request_the_daemon_has_no_memory_to_read_is_resource_exhausted()
    {
        const int Side = 4096; // 64 MiB of RGBA8
        var request = new JobRequest
        {
            Operation = "fill",
            Layer = new Image { Width = Side, Height = Side, Format = PixelFormat.Rgba8, Data = ByteString.CopyFrom(new byte[Side * Side * 4]) },
            Mask = Pictures.Rectangle(10, 10, 4, 4),
        };

        // the byte path: a local client would otherwise send these pixels through shared memory, not in the message
        using var bytesOnly = DaemonConnection.Open(daemon.Discovery, daemon.Token, daemon.Paths, sharedMemory: false);
        var e = await Assert.ThrowsAsync<RpcException>(() => bytesOnly.Client.RunJobAsync(request, timeout: TimeSpan.FromSeconds(60)));

        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.StartsWith("request: the daemon ran out of memory reading the RunJob message", e.Status.Detail);
        Assert.True(await daemon.AnswersAsync(TimeSpan.FromSeconds(10)), "the daemon stopped answering");
    }
}
