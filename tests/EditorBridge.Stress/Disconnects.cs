using System.Diagnostics;
using EditorBridge.Protocol.V1;
using EditorBridge.Stress.Faults;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace EditorBridge.Stress;

/// <summary>
/// Clients that go away mid-stream, again and again, with large layers: each job must end
/// cancelled, and the daemon's resident memory must not grow by a layer per client (it did,
/// up to fifty of them, before finished jobs let go of their layers).
/// </summary>
public static class Disconnects
{
    public static async Task<FaultOutcome> RunAsync(DaemonProcess daemon, int rounds, int side)
    {
        string fault = $"{rounds} clients go away mid-stream ({side}x{side} RGBA8 layers, {side * side * 4 >> 20} MiB each)";
        long layerBytes = (long)side * side * 4;
        var cancelTimes = new List<TimeSpan>();
        long afterFirst = 0;
        for (int i = 0; i < rounds; i++)
        {
            using var disconnect = new CancellationTokenSource();
            var started = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            var request = new JobRequest
            {
                Operation = FaultOperations.Slow,
                Layer = new Image { Width = side, Height = side, Format = PixelFormat.Rgba8, Data = ByteString.CopyFrom(new byte[layerBytes]) },
                Parameters = new Struct { Fields = { ["steps"] = Value.ForNumber(6000), ["step_ms"] = Value.ForNumber(10) } },
            };
            var run = daemon.Client.RunJobAsync(request, new Progress(e =>
            {
                if (e.EventCase == JobEvent.EventOneofCase.Started)
                    started.TrySetResult(e.JobId);
            }), disconnect.Token);
            var jobId = await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
            var clock = Stopwatch.StartNew();
            await disconnect.CancelAsync();
            try
            {
                await run;
            }
            catch (Exception)
            {
                // the client's own cancellation
            }

            var state = JobState.Unspecified;
            for (var until = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < until && state != JobState.Cancelled; await Task.Delay(5))
                state = (await daemon.Client.ListJobsAsync()).Jobs.FirstOrDefault(j => j.JobId == jobId)?.State ?? JobState.Unspecified;
            if (state != JobState.Cancelled)
                return new FaultOutcome(fault, false, $"job {jobId} is {state} 10 s after its client went away");
            cancelTimes.Add(clock.Elapsed);
            if (i == 0)
                afterFirst = daemon.ResidentBytes();
        }

        await Task.Delay(500);
        long after = daemon.ResidentBytes();
        long growth = after - afterFirst;
        // Freed means no growth of a layer per client; the GC may keep some freed memory for reuse.
        bool bounded = growth < Math.Max(4 * layerBytes, rounds * layerBytes / 3);
        return new FaultOutcome(fault, bounded,
            $"every job ended Cancelled, {cancelTimes.Max().TotalMilliseconds:0} ms at most after its client left; resident {afterFirst >> 20} MiB after the first, {after >> 20} MiB after the last ({(growth >= 0 ? "+" : "")}{growth >> 20} MiB for {rounds - 1} more {layerBytes >> 20} MiB layers)");
    }

    private sealed class Progress(Action<JobEvent> report) : IProgress<JobEvent>
    {
        public void Report(JobEvent value) => report(value);
    }
}
