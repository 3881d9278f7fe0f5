using System.Diagnostics;
using EditorBridge.Protocol.V1;
using EditorBridge.Stress.Faults;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace EditorBridge.Stress;

/// <summary>
/// Engine plugins that misbehave fail their own job only: an engine that throws, one that hangs
/// past the client's deadline or the daemon's job timeout (ignoring cancellation), one that
/// answers pixels of the wrong size, one that writes into its input; after each, a real fill on
/// the same device lane must run, and the painter's pixels must come back untouched.
/// </summary>
public static class EngineFaults
{
    /// <summary>Runs every engine fault against a daemon serving the fault engine plugin (DaemonProcess.StartAsync with faultEngine) and <paramref name="jobTimeoutSeconds"/>.</summary>
    public static async Task<IReadOnlyList<FaultOutcome>> RunAsync(DaemonProcess daemon, int jobTimeoutSeconds)
    {
        var faults = new (string Name, Func<string, Task<FaultOutcome>> Run)[]
        {
            ("engine throws", f => FailsAloneAsync(daemon, f, Job(FaultOperations.Throw), null, StatusCode.Internal, "engine 'faults' failed: InvalidOperationException: the fault engine broke on purpose")),
            ("engine answers pixels of the wrong size", f => FailsAloneAsync(daemon, f, Job(FaultOperations.WrongSize), null, StatusCode.Internal, "returned 1x1 pixels for a 64x48 work area")),
            ("engine hangs past the client's deadline (1 s), ignoring cancellation", f => FailsAloneAsync(daemon, f, Job(FaultOperations.Hang), TimeSpan.FromSeconds(1), StatusCode.DeadlineExceeded, "")),
            ($"engine hangs past the daemon's job timeout ({jobTimeoutSeconds} s), ignoring cancellation", f => FailsAloneAsync(daemon, f, Job(FaultOperations.Hang), null, StatusCode.DeadlineExceeded, $"the job ran past its limit of {jobTimeoutSeconds} s")),
            ("engine hangs and the job is cancelled (CancelJob)", f => CancelledAsync(daemon, f, Job(FaultOperations.Hang))),
            ("engine writes into its input (selection job)", ScribblerAsync),
        };
        var outcomes = new List<FaultOutcome>();
        foreach (var (name, run) in faults)
        {
            try
            {
                outcomes.Add(await run(name));
            }
            catch (Exception e) when (e is RpcException or TimeoutException or InvalidOperationException)
            {
                outcomes.Add(new FaultOutcome(name, false, $"{e.GetType().Name}: {e.Message}"));
            }
        }

        return outcomes;

        Task<FaultOutcome> ScribblerAsync(string name) => Scribbler(daemon, name);
    }

    private static JobRequest Job(string operation) => new() { Operation = operation, Layer = Pictures.Layer(64, 48, seed: 3) };

    /// <summary>The next job on the same lane, a real fill, runs and comes back right.</summary>
    public static async Task<string?> FollowUpAsync(DaemonProcess daemon)
    {
        var request = Pictures.Fill(Pictures.Layer(48, 40, seed: 5, offsetX: 10, offsetY: -4), Pictures.Rectangle(24, 10, 10, 8));
        try
        {
            var result = await daemon.Client.RunJobAsync(request, timeout: TimeSpan.FromSeconds(20));
            return Pictures.CheckResult(request, result, (await daemon.Client.GetInfoAsync()).GeometryDefaults.GrowPixels);
        }
        catch (RpcException e)
        {
            return $"the next job on the lane did not run: {e.StatusCode} {e.Status.Detail}";
        }
    }

    private static async Task<FaultOutcome> FailsAloneAsync(DaemonProcess daemon, string fault, JobRequest request, TimeSpan? deadline, StatusCode code, string message)
    {
        var clock = Stopwatch.StartNew();
        StatusCode got;
        string detail;
        try
        {
            await daemon.Client.RunJobAsync(request, timeout: deadline ?? TimeSpan.FromSeconds(60));
            return new FaultOutcome(fault, false, "the job succeeded");
        }
        catch (RpcException e)
        {
            (got, detail) = (e.StatusCode, e.Status.Detail);
        }

        var ended = clock.Elapsed;
        if (got != code || !detail.Contains(message, StringComparison.Ordinal))
            return new FaultOutcome(fault, false, $"expected {code} '{message}', got {got} '{detail}'");
        var next = await FollowUpAsync(daemon);
        return next is null
            ? new FaultOutcome(fault, true, $"{got} after {ended.TotalMilliseconds:0} ms; the next fill on the lane ran", clock.Elapsed)
            : new FaultOutcome(fault, false, next);
    }

    private static async Task<FaultOutcome> CancelledAsync(DaemonProcess daemon, string fault, JobRequest request)
    {
        var started = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = daemon.Client.RunJobAsync(request, new Progress(e =>
        {
            if (e.EventCase == JobEvent.EventOneofCase.Started)
                started.TrySetResult(e.JobId);
        }), timeout: TimeSpan.FromSeconds(60));
        var jobId = await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var clock = Stopwatch.StartNew();
        await daemon.Client.CancelJobAsync(jobId);
        try
        {
            await run;
            return new FaultOutcome(fault, false, "the job succeeded");
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
        {
        }
        catch (RpcException e)
        {
            return new FaultOutcome(fault, false, $"expected Cancelled, got {e.StatusCode} {e.Status.Detail}");
        }

        var ended = clock.Elapsed;
        var next = await FollowUpAsync(daemon);
        return next is null
            ? new FaultOutcome(fault, true, $"Cancelled {ended.TotalMilliseconds:0} ms after CancelJob; the next fill on the lane ran", clock.Elapsed)
            : new FaultOutcome(fault, false, next);
    }

    /// <summary>An engine that writes into its input image: the contract says read only; the painter's pixels must not suffer.</summary>
    private static async Task<FaultOutcome> Scribbler(DaemonProcess daemon, string fault)
    {
        // a small layer: the work area is the whole layer, the case where the daemon could hand over the layer's own array
        var request = new JobRequest { Operation = FaultOperations.Scribble, Layer = Pictures.Layer(64, 48, seed: 9), Mask = Pictures.Rectangle(28, 20, 8, 8) };
        try
        {
            var result = await daemon.Client.RunJobAsync(request, timeout: TimeSpan.FromSeconds(30));
            var wrong = Pictures.CheckResult(request, result, (await daemon.Client.GetInfoAsync()).GeometryDefaults.GrowPixels);
            return wrong is null
                ? new FaultOutcome(fault, true, "every pixel outside the selection came back as sent")
                : new FaultOutcome(fault, false, wrong);
        }
        catch (RpcException e)
        {
            return new FaultOutcome(fault, false, $"{e.StatusCode} {e.Status.Detail}");
        }
    }

    private sealed class Progress(Action<JobEvent> report) : IProgress<JobEvent>
    {
        public void Report(JobEvent value) => report(value);
    }
}
