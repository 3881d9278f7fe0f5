using EditorBridge.Client;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace EditorBridge.Studio.Tests;

/// <summary>The jobs the studio tests send: a small classic fill, and the fault engine's slow job (steps × step_ms, cancellable).</summary>
internal static class StudioJobs
{
    private static readonly RgbaPicture Picture = TestPictures.Load("astronaut.png").Crop(0, 0, 96, 96);

    public static JobRequest Fill(string label = "studio test") =>
        WireRequests.Fill(Picture, WireRequests.Rectangle(40, 40, 16, 16)) is var r ? WithLabel(r, label) : null!;

    public static JobRequest Slow(int steps, int stepMs, string label = "slow") => new()
    {
        Operation = "fault-slow",
        Layer = WireRequests.Layer(Picture.Crop(0, 0, 16, 16)),
        ClientLabel = label,
        Parameters = new Struct { Fields = { ["steps"] = Value.ForNumber(steps), ["step_ms"] = Value.ForNumber(stepMs) } },
    };

    /// <summary>Starts a job and returns once the daemon says it has started it; the job runs on until the token is cancelled or it ends.</summary>
    public static async Task<(string JobId, Task<JobResult> Run)> StartAsync(EditorBridgeClient client, JobRequest request, CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = client.RunJobAsync(request, new Sink(e =>
        {
            if (e.EventCase == JobEvent.EventOneofCase.Started)
                started.TrySetResult(e.JobId);
        }), cancellationToken);
        var first = await Task.WhenAny(started.Task, run);
        if (first == run)
            await run; // throws what ended it
        return (await started.Task, run);
    }

    public static async Task<StatusCode> StatusOf(Task run)
    {
        try
        {
            await run;
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    private static JobRequest WithLabel(JobRequest request, string label)
    {
        request.ClientLabel = label;
        return request;
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the pool, out of order).</summary>
    private sealed class Sink(Action<JobEvent> report) : IProgress<JobEvent>
    {
        public void Report(JobEvent value) => report(value);
    }
}
