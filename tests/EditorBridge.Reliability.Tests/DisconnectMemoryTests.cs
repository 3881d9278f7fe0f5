using EditorBridge.Stress;
using EditorBridge.Engines;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Google.Protobuf;

namespace EditorBridge.Reliability.Tests;

/// <summary>
/// A client that goes away mid-stream takes its job with it, and the job's pixels with it. The
/// daemon runs in this process with an engine that remembers (weakly) the layer it was given, so
/// after a full collection the test can tell whether anything still holds a disconnected job's layer.
/// Before the fix, the finished jobs ListJobs remembers (50) kept their whole requests.
/// </summary>
public sealed class DisconnectMemoryTests
{
    [Fact]
    public async Task Disconnected_jobs_are_cancelled_and_their_layers_freed()
    {
        var engine = new RecordingEngine();
        await using var daemon = await RunningDaemon.StartAsync(extraEngines: [TestEngines.Wrap(engine)]);

        for (int i = 0; i < 6; i++)
            await RunAndDisconnectAsync(daemon, side: 1024);
        for (int i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        Assert.Equal(6, engine.Layers.Count);
        Assert.Equal(0, engine.Layers.Count(l => l.IsAlive));
    }

    private static async Task RunAndDisconnectAsync(RunningDaemon daemon, int side)
    {
        using var disconnect = new CancellationTokenSource();
        var started = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var request = new JobRequest
        {
            Operation = "remember",
            Layer = new Image { Width = side, Height = side, Format = PixelFormat.Rgba8, Data = ByteString.CopyFrom(new byte[side * side * 4]) },
        };
        var run = daemon.Client.RunJobAsync(request, new Progress(e =>
        {
            if (e.EventCase == JobEvent.EventOneofCase.Started)
                started.TrySetResult(e.JobId);
        }), disconnect.Token);
        var jobId = await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        disconnect.Cancel();

        await Assert.ThrowsAnyAsync<Exception>(() => run);
        for (var until = DateTime.UtcNow.AddSeconds(10); ; await Task.Delay(10))
        {
            var state = (await daemon.Client.ListJobsAsync()).Jobs.First(j => j.JobId == jobId).State;
            if (state == JobState.Cancelled)
                return;
            Assert.True(DateTime.UtcNow < until, $"job {jobId} is still {state} after its client left");
        }
    }

    /// <summary>A whole-layer operation: the engine's input shares the layer's array, which it remembers weakly; then it waits to be cancelled.</summary>
    private sealed class RecordingEngine : IEngine
    {
        public List<WeakReference> Layers { get; } = [];

        public EngineDescriptor Describe() => new("recording", "1.0.0", "remembers its input weakly", [new OperationDescriptor("remember", "wait", [])], ["test-recording"]);

        public async Task<EngineOutput> RunAsync(EngineRequest request, IProgress<EngineProgress> progress, CancellationToken cancellationToken)
        {
            lock (Layers)
                Layers.Add(new WeakReference(request.Image.Pixels));
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }

        public void Dispose()
        {
        }
    }

    private sealed class Progress(Action<JobEvent> report) : IProgress<JobEvent>
    {
        public void Report(JobEvent value) => report(value);
    }
}
