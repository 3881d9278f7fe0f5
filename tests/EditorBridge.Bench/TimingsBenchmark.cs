using System.Diagnostics;
using EditorBridge.Protocol.V1;
using EditorBridge.Stress;
using EditorBridge.Testing;
using Google.Protobuf.WellKnownTypes;

namespace EditorBridge.Bench;

/// <summary>
/// The timings the unit tests used to assert (and that failed on busy machines), reported here beside
/// a baseline from the same run instead: the token check's time wherever a wrong token differs (ratio
/// to a token wrong in its first character), and how long a classic job takes to end after CancelJob
/// (ratio to the same job's uncancelled run time). The unit tests keep the properties: the comparison
/// is FixedTimeEquals over every byte; cancelled runs do no more units of work.
/// </summary>
internal static class TimingsBenchmark
{
    public static async Task RunAsync()
    {
        Console.WriteLine("\n## Token check: median time per check (CryptographicOperations.FixedTimeEquals)");
        var (right, first, last, length) = SecurityChecks.TokenCheckTimes(rounds: 200_000);
        Console.WriteLine("| right token | wrong first character | wrong last character | last / first | wrong length (public) |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        Console.WriteLine($"| {right:0} ns | {first:0} ns | {last:0} ns | {last / first:0.00}× | {length:0} ns |");

        Console.WriteLine("\n## Cancel: CancelJob sent a quarter into the run → the job's stream ends, vs the same job uncancelled");
        await using var daemon = await RunningDaemon.StartAsync();
        var photo = TestPictures.Load("astronaut.png");
        var cases = new (string Name, JobRequest Request)[]
        {
            ("fill (auto, 200² hole)", WireRequests.Fill(photo, WireRequests.Rectangle(150, 150, 200, 200), "auto")),
            ("fill (exemplar)", WireRequests.Fill(TestPictures.Load("grass.png"), WireRequests.Rectangle(100, 100, 300, 300), "exemplar")),
            ("restore (denoise)", Job("restore", photo, ("method", "denoise"))),
            ("restore (deblur, 200 iterations)", Job("restore", photo, ("method", "deblur"), ("iterations", 200.0), ("blur_sigma", 2.0))),
            ("segment (20 iterations)", Job("segment", photo, ("x", 256.0), ("y", 200.0), ("iterations", 20.0))),
            ("stylize (watercolour)", Job("stylize", photo, ("preset", "watercolour"))),
        };
        Console.WriteLine("| job | uncancelled ms | cancel → end ms | ratio |");
        Console.WriteLine("| --- | --- | --- | --- |");
        foreach (var (name, request) in cases)
        {
            var full = await Measure.MedianMsAsync(1, () => daemon.Client.RunJobAsync(request));
            var latency = await CancelLatencyMsAsync(daemon, request, TimeSpan.FromMilliseconds(full / 4));
            Console.WriteLine($"| {name} | {full:0} | {latency:0.0} | {latency / full:0.000}× |");
        }
    }

    private static JobRequest Job(string operation, RgbaPicture picture, params (string Name, object Value)[] parameters)
    {
        var request = new JobRequest { Operation = operation, Layer = WireRequests.Layer(picture), Seed = 1, Parameters = new Struct() };
        foreach (var (parameter, value) in parameters)
            request.Parameters.Fields[parameter] = value is string s ? Value.ForString(s) : Value.ForNumber((double)value);
        return request;
    }

    private static async Task<double> CancelLatencyMsAsync(RunningDaemon daemon, JobRequest request, TimeSpan after)
    {
        var started = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = daemon.Client.RunJobAsync(request, new SyncProgress(e =>
        {
            if (e.EventCase == JobEvent.EventOneofCase.Progress)
                started.TrySetResult(e.JobId);
        }));
        var id = await started.Task;
        await Task.Delay(after);
        var clock = Stopwatch.StartNew();
        await daemon.Client.CancelJobAsync(id);
        try
        {
            await run;
        }
        catch (Grpc.Core.RpcException)
        {
            // cancelled, as asked
        }

        return clock.Elapsed.TotalMilliseconds;
    }
}
