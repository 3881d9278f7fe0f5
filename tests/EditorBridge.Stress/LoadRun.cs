using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using EditorBridge.Client;
using EditorBridge.Protocol.V1;
using Google.Protobuf;
using Grpc.Core;

namespace EditorBridge.Stress;

/// <summary>
/// Load: several clients (gRPC ones on their own channels, and one JSON client using blobs as the
/// Krita bridge does) each submit their jobs at once, of mixed sizes and methods. Every job must
/// finish or wait its turn hearing its queue position; each result must be its own (inside its
/// own layer, every pixel outside its selection its own, bit for bit); a seeded share of the jobs
/// is cancelled (CancelJob or the client going away) and must end cancelled unless it had
/// already finished; the daemon's resident memory is sampled throughout.
/// </summary>
public static partial class LoadRun
{
    public sealed record Options(int Clients = 3, int JobsPerClient = 20, int Rounds = 1, double CancelShare = 0.2, int Seed = 1, int MaxSide = 1024);

    public sealed record Figures(
        int Jobs,
        int Succeeded,
        int Cancelled,
        int CancelsAsked,
        int CancelsTooLate,
        int Failed,
        IReadOnlyList<string> Problems,
        int JobsThatWaited,
        int MaxQueuePosition,
        int ResultsChecked,
        long PixelsCompared,
        int LayersUnchanged,
        long BytesSent,
        long BlobBytes,
        long IdleResident,
        long PeakResident,
        long AfterResident,
        TimeSpan WorstCancel,
        TimeSpan Elapsed)
    {
        /// <summary>
        /// The bound stated for resident memory: idle + 3 × the bytes of one round's requests (all in
        /// flight at once) + what the JSON client left in the blob store (uploads and result blobs
        /// stay until their TTL, by design) + 256 MiB for the runtime's own slack.
        /// </summary>
        public long ResidentBound => IdleResident + 3 * BytesSent / Math.Max(1, Rounds) + BlobBytes + (256L << 20);

        public int Rounds { get; init; } = 1;
    }

    private enum Cancel { None, CancelJob, Disconnect }

    private sealed record Spec(int Client, int Index, JobRequest Request, Cancel Cancel, int CancelAfterMs);

    private sealed class Outcome
    {
        public string? JobId;
        public readonly List<int> Positions = [];
        public bool Started;
        public JobResult? Result;
        public StatusCode? Status;
        public string Message = "";
        public bool CancelTooLate;
        public TimeSpan CancelLatency;
        public readonly List<string> Problems = [];
    }

    public static async Task<Figures> RunAsync(DaemonProcess daemon, Options options, IProgress<string>? log = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var info = await daemon.Client.GetInfoAsync(TimeSpan.FromSeconds(10), cancellationToken);
        int grow = info.GeometryDefaults.GrowPixels;
        await Task.Delay(500, cancellationToken);
        long idle = daemon.ResidentBytes();
        long peak = idle;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, daemon.ResidentBytes());
                await Task.Delay(25);
            }
        });

        var all = new List<(Spec Spec, Outcome Outcome)>();
        var sentHashes = new Dictionary<Spec, string>(ReferenceEqualityComparer.Instance);
        long bytes = 0;
        var channels = Enumerable.Range(0, options.Clients).Select(_ => DaemonConnection.Open(daemon.Discovery, daemon.Token, daemon.Paths)).ToList();
        using var http = new HttpClient { BaseAddress = new Uri(daemon.Discovery.HttpAddress), Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", daemon.Token);
        try
        {
            for (int round = 0; round < options.Rounds; round++)
            {
                var specs = Specs(options, round).ToList();
                foreach (var spec in specs)
                    sentHashes[spec] = Hash(spec);
                bytes += specs.Sum(s => (long)s.Request.Layer.Data.Length + s.Request.Mask.Coverage.Length);
                var runs = specs.Select(spec =>
                {
                    var outcome = new Outcome();
                    all.Add((spec, outcome));
                    bool json = spec.Client == options.Clients - 1 && options.Clients > 1;
                    return json
                        ? RunJsonAsync(http, spec, outcome, cancellationToken)
                        : RunGrpcAsync(channels[spec.Client].Client, spec, outcome, cancellationToken);
                }).ToList();
                await Task.WhenAll(runs);
                log?.Report($"load round {round + 1}: {specs.Count} jobs done after {clock.Elapsed.TotalSeconds:0.0} s, resident {daemon.ResidentBytes() >> 20} MiB (peak {peak >> 20} MiB)");
            }
        }
        finally
        {
            foreach (var c in channels)
                c.Dispose();
        }

        // the painter's pixels, and the bookkeeping of every job
        int checkedResults = 0;
        long compared = 0;
        var problems = new List<string>();
        var ids = new HashSet<string>();
        foreach (var (spec, outcome) in all)
        {
            var name = $"client {spec.Client} job {spec.Index}";
            problems.AddRange(outcome.Problems.Select(p => $"{name}: {p}"));
            if (outcome.JobId is not null && !ids.Add(outcome.JobId))
                problems.Add($"{name}: job id {outcome.JobId} seen twice");
            if (outcome.Positions.Count > 0 && (!outcome.Positions.Zip(outcome.Positions.Skip(1)).All(p => p.Second < p.First) || (outcome.Started && outcome.Positions[^1] != 0)))
                problems.Add($"{name}: queue positions {string.Join(",", outcome.Positions)}");
            if (outcome.Result is { } result)
            {
                var wrong = PixelCheck.OutsideSelection(spec.Request.Layer, spec.Request.Layer.Data.ToByteArray(), spec.Request.Mask, spec.Request.Mask.Coverage.ToByteArray(), grow, result.Layer, result.Layer.Data.ToByteArray(), out int n);
                compared += n;
                checkedResults++;
                if (wrong is not null)
                    problems.Add($"{name}: {wrong}");
            }
            else if (outcome.Status == StatusCode.Cancelled && spec.Cancel == Cancel.None)
            {
                problems.Add($"{name}: cancelled though nobody cancelled it: {outcome.Message}");
            }
            else if (outcome.Status is { } code && code != StatusCode.Cancelled)
            {
                problems.Add($"{name} (cancel: {spec.Cancel}): {code} {outcome.Message}");
            }
        }

        // the client's own copy of every layer it sent is as it was
        int unchanged = all.Count(a => sentHashes[a.Spec] == Hash(a.Spec));
        if (unchanged != all.Count)
            problems.Add($"{all.Count - unchanged} layers changed in the client's memory after they were sent");

        // jobs left behind by clients that went away must end cancelled
        foreach (var (spec, outcome) in all.Where(a => a.Spec.Cancel == Cancel.Disconnect && a.Outcome.JobId is not null))
        {
            var state = await WaitForEndAsync(daemon, outcome.JobId!);
            if (state is not (JobState.Cancelled or JobState.Succeeded))
                problems.Add($"client {spec.Client} job {spec.Index}: still {state} 10 s after its client went away");
        }

        await Task.Delay(1000, cancellationToken);
        long after = daemon.ResidentBytes();
        await sampling.CancelAsync();
        await sampler;
        peak = Math.Max(peak, daemon.PeakResidentBytes());
        var outcomes = all.Select(a => a.Outcome).ToList();
        return new Figures(
            all.Count,
            outcomes.Count(o => o.Result is not null),
            outcomes.Count(o => o.Status == StatusCode.Cancelled),
            all.Count(a => a.Spec.Cancel != Cancel.None),
            outcomes.Count(o => o.CancelTooLate),
            outcomes.Count(o => o.Status is { } c && c != StatusCode.Cancelled),
            problems,
            outcomes.Count(o => o.Positions.Count > 0),
            outcomes.SelectMany(o => o.Positions).DefaultIfEmpty().Max(),
            checkedResults,
            compared,
            unchanged,
            bytes,
            all.Where(a => a.Spec.Client == options.Clients - 1 && options.Clients > 1)
                .Sum(a => (long)a.Spec.Request.Layer.Data.Length + a.Spec.Request.Mask.Coverage.Length + (a.Outcome.Result?.Layer.Data.Length ?? 0)),
            idle,
            peak,
            after,
            outcomes.Select(o => o.CancelLatency).DefaultIfEmpty().Max(),
            clock.Elapsed) { Rounds = options.Rounds };
    }

    private static string Hash(Spec spec) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData([.. spec.Request.Layer.Data.Span, .. spec.Request.Mask.Coverage.Span]));

    private static IEnumerable<Spec> Specs(Options options, int round)
    {
        var r = new Random(options.Seed * 1000 + round);
        int[] sides = [64, 96, 128, 192, 256, 384, 512, 768, 1024, 2048];
        for (int client = 0; client < options.Clients; client++)
        {
            for (int i = 0; i < options.JobsPerClient; i++)
            {
                int w = Math.Min(options.MaxSide, r.Pick(sides.Where(s => s <= options.MaxSide).ToArray())), h = Math.Max(16, w * r.Next(60, 101) / 100);
                var format = r.Chance(0.2) ? PixelFormat.Rgba16 : PixelFormat.Rgba8;
                // every job's layer sits elsewhere on the canvas: a result at the wrong place is caught
                var layer = Pictures.Layer(w, h, seed: r.Next(), offsetX: client * 100_000 + i * 3000 + r.Next(1000), offsetY: -client * 50_000 - i * 2000, format: format);
                int mw = Math.Max(2, w * r.Next(4, 16) / 100), mh = Math.Max(2, h * r.Next(4, 16) / 100);
                var mask = Pictures.Rectangle(layer.OffsetX + r.Next(0, w - mw), layer.OffsetY + r.Next(0, h - mh), mw, mh);
                var method = w <= 256 && r.Chance(0.3) ? "exemplar" : r.Pick("telea", "telea", "ns");
                var request = Pictures.Fill(layer, mask, method, seed: (ulong)r.Next());
                request.ClientLabel = $"load client {client} job {i}";
                var cancel = r.Chance(options.CancelShare) ? r.Pick(Cancel.CancelJob, Cancel.Disconnect) : Cancel.None;
                yield return new Spec(client, i, request, cancel, r.Next(0, 400));
            }
        }
    }

    private static async Task RunGrpcAsync(EditorBridgeClient client, Spec spec, Outcome outcome, CancellationToken cancellationToken)
    {
        using var disconnect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var known = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var events = new Progress(e => Record(outcome, e, known));
        var run = client.RunJobAsync(spec.Request, events, disconnect.Token);
        var canceller = spec.Cancel == Cancel.None ? Task.CompletedTask : CancelLaterAsync();
        try
        {
            outcome.Result = await run;
        }
        catch (RpcException) when (spec.Cancel == Cancel.Disconnect && disconnect.IsCancellationRequested)
        {
            // A call cancelled by its own client while reading ends Unavailable ("the request was aborted")
            // or Cancelled, depending on where the read was: either way the client went away as planned.
            (outcome.Status, outcome.Message) = (StatusCode.Cancelled, "the client went away");
        }
        catch (RpcException e)
        {
            (outcome.Status, outcome.Message) = (e.StatusCode, e.Status.Detail);
        }
        catch (OperationCanceledException) when (spec.Cancel == Cancel.Disconnect)
        {
            (outcome.Status, outcome.Message) = (StatusCode.Cancelled, "the client went away");
        }

        await canceller;

        async Task CancelLaterAsync()
        {
            var id = await Task.WhenAny(known.Task, run) == known.Task ? known.Task.Result : null;
            if (id is null)
            {
                outcome.CancelTooLate = true;
                return;
            }
            await Task.Delay(spec.CancelAfterMs, cancellationToken);
            var clock = Stopwatch.StartNew();
            if (spec.Cancel == Cancel.Disconnect)
            {
                if (run.IsCompletedSuccessfully)
                    outcome.CancelTooLate = true;
                await disconnect.CancelAsync();
                return;
            }

            try
            {
                await client.CancelJobAsync(id, cancellationToken);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
            {
                outcome.CancelTooLate = true;
                return;
            }

            try
            {
                await run.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            }
            catch (Exception)
            {
                // the outcome is recorded by the run itself
            }

            outcome.CancelLatency = clock.Elapsed;
            if (run.IsCompletedSuccessfully)
                outcome.Problems.Add("finished with a result after CancelJob accepted the cancellation");
        }
    }

    private static void Record(Outcome outcome, JobEvent e, TaskCompletionSource<string> known)
    {
        lock (outcome)
        {
            if (outcome.JobId is null)
            {
                outcome.JobId = e.JobId;
                known.TrySetResult(e.JobId);
            }
            else if (outcome.JobId != e.JobId)
            {
                outcome.Problems.Add($"an event of job {e.JobId} reached the stream of job {outcome.JobId}");
            }

            switch (e.EventCase)
            {
                case JobEvent.EventOneofCase.Queued:
                    if (outcome.Started)
                        outcome.Problems.Add("a queue position after the job started");
                    outcome.Positions.Add(e.Queued.Position);
                    break;
                case JobEvent.EventOneofCase.Started:
                    outcome.Started = true;
                    break;
            }
        }
    }

    private static async Task<JobState> WaitForEndAsync(DaemonProcess daemon, string jobId)
    {
        var state = JobState.Unspecified;
        for (var until = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < until; await Task.Delay(50))
        {
            var job = (await daemon.Client.ListJobsAsync()).Jobs.FirstOrDefault(j => j.JobId == jobId);
            if (job is null)
                return JobState.Cancelled; // forgotten already: it ended long ago
            state = job.State;
            if (state is JobState.Cancelled or JobState.Succeeded or JobState.Failed)
                return state;
        }

        return state;
    }

    private sealed class Progress(Action<JobEvent> report) : IProgress<JobEvent>
    {
        public void Report(JobEvent value) => report(value);
    }
}
