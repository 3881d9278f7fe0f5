using EditorBridge.Daemon.Security;
using EditorBridge.Daemon.Services;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace EditorBridge.EndToEnd.Tests;

/// <summary>
/// A client that is gone before the daemon notices: Kestrel fails a write to a reset stream at once,
/// but cancels the call's token later, on the thread pool. On a busy machine the call used to end
/// first (dropping its cancellation hook) and the job ran on to its end. Here the daemon's own
/// service runs a job for a call whose every write fails and whose token never fires.
/// </summary>
public sealed class GoneClientTests : IAsyncLifetime
{
    private RunningDaemon daemon = null!;

    public async Task InitializeAsync() => daemon = await RunningDaemon.StartAsync(
        extraEngines: [TestEngines.Slow("glacial", steps: 6000, operation: "crawl")]);

    public async Task DisposeAsync() => await daemon.DisposeAsync();

    [Fact]
    public async Task A_job_whose_stream_cannot_be_written_is_cancelled_before_the_call_ends()
    {
        var service = ActivatorUtilities.CreateInstance<EditorBridgeService>(daemon.Host.Services);
        var picture = TestPictures.Load("camera.png").Crop(0, 0, 64, 64);
        var request = new JobRequest { Operation = "crawl", Layer = WireRequests.Layer(picture), Mask = WireRequests.Rectangle(10, 10, 20, 20) };

        var call = service.RunJob(request, new ResetStream(), new SilentContext());

        // a minute-long job: the call can only end within the hang guard by cancelling it
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => call.WaitAsync(TimeSpan.FromSeconds(50)));
        Assert.Contains("reset", e.Message);
        var job = Assert.Single((await daemon.Client.ListJobsAsync()).Jobs);
        Assert.Equal(JobState.Cancelled, job.State);
    }

    private sealed class ResetStream : IServerStreamWriter<JobEvent>
    {
        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(JobEvent message) => throw new InvalidOperationException("the stream was reset by the client");
    }

    /// <summary>A call context whose cancellation never fires, as when Kestrel has not got round to it yet.</summary>
    private sealed class SilentContext : ServerCallContext
    {
        private readonly Dictionary<object, object> state = new() { ["__HttpContext"] = Local() };

        private static DefaultHttpContext Local()
        {
            var http = new DefaultHttpContext();
            Caller.Local.AttachTo(http);
            return http;
        }

        protected override string MethodCore => "/editorbridge.v1.EditorBridge/RunJob";
        protected override string HostCore => "127.0.0.1";
        protected override string PeerCore => "ipv4:127.0.0.1:1";
        protected override DateTime DeadlineCore => DateTime.MaxValue;
        protected override Metadata RequestHeadersCore { get; } = [];
        protected override CancellationToken CancellationTokenCore => CancellationToken.None;
        protected override Metadata ResponseTrailersCore { get; } = [];
        protected override Status StatusCore { get; set; }
        protected override WriteOptions? WriteOptionsCore { get; set; }
        protected override AuthContext AuthContextCore => new(null, []);
        protected override IDictionary<object, object> UserStateCore => state;

        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
