using System.Diagnostics;
using Grpc.Core;

namespace EditorBridge.Stress;

/// <summary>
/// Sends generated hostile cases one after another to a daemon process and checks each answer:
/// the expected status naming the field, never Unknown or Internal, within the time bound, the
/// pixels of every successful job, and GetInfo (and ListJobs) answering after every case. A daemon
/// that died is a crash: it is counted, restarted, and the run goes on.
/// </summary>
public sealed class HostileRun
{
    /// <summary>Longest a case may take (the daemon's answer, not the transfer of a huge body).</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public sealed record CaseResult(HostileCase Case, Observed Observed, string? Failure);

    public sealed record Figures(
        int Seed,
        int Cases,
        IReadOnlyDictionary<string, int> Kinds,
        IReadOnlyDictionary<string, int> Sides,
        int Crashes,
        int Unresponsive,
        IReadOnlyList<CaseResult> Failures,
        CaseResult Slowest,
        TimeSpan Median,
        TimeSpan P99,
        int ResultsChecked,
        int InfoChecks,
        TimeSpan Elapsed);

    public static async Task<Figures> RunAsync(Func<DaemonProcess> current, Func<Task<DaemonProcess>> restart, int seed, int count, IProgress<string>? log = null, int firstIndex = 0, CancellationToken cancellationToken = default)
    {
        var total = Stopwatch.StartNew();
        var daemon = current();
        var info = await daemon.Client.GetInfoAsync(TimeSpan.FromSeconds(10));
        var generator = new HostileCaseGenerator(info, seed);
        var target = NewTarget(daemon, info);
        var results = new List<CaseResult>();
        int crashes = 0, unresponsive = 0, resultsChecked = 0, infoChecks = 0;
        try
        {
            for (int i = firstIndex; i < firstIndex + count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var hostile = generator.Generate(i);
                Observed observed;
                string? failure;
                try
                {
                    observed = await hostile.Send(target, cancellationToken);
                    failure = hostile.Expected.Check(observed);
                    if (failure is null && observed.Code is StatusCode.Unknown or StatusCode.Internal)
                        failure = $"{observed.Code} from the daemon";
                    if (failure is null && observed.Elapsed > Bound)
                        failure = $"took {observed.Elapsed.TotalSeconds:0.0} s (bound {Bound.TotalSeconds:0} s)";
                    if (failure is null && observed.Kind == "OK" && hostile.Verify is { } verify)
                    {
                        failure = await verify(target, observed);
                        resultsChecked++;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    observed = Observed.Closed($"harness: {e.GetType().Name}: {e.Message}", TimeSpan.Zero) with { Kind = "harness error" };
                    failure = observed.Message;
                }

                // the daemon must still answer after every case
                var after = await CheckServingAsync(daemon);
                infoChecks++;
                if (after is not null)
                {
                    if (daemon.HasExited)
                    {
                        crashes++;
                        failure = $"{failure}{(failure is null ? "" : "; ")}the daemon died (exit code {daemon.ExitCode}) after this case";
                        log?.Report($"CRASH after {hostile}: {Observed.Shorten(daemon.Output, 2000)}");
                    }
                    else
                    {
                        unresponsive++;
                        failure = $"{failure}{(failure is null ? "" : "; ")}after this case: {after}";
                    }

                    target.Dispose();
                    daemon = await restart();
                    target = NewTarget(daemon, info);
                }

                var result = new CaseResult(hostile, observed, failure);
                results.Add(result);
                if (failure is not null)
                    log?.Report($"FAIL {hostile}: {failure}");
            }
        }
        finally
        {
            target.Dispose();
        }

        var times = results.Select(r => r.Observed.Elapsed).Order().ToList();
        return new Figures(
            seed,
            results.Count,
            Count(results, r => r.Observed.Kind),
            Count(results, r => r.Case.Side),
            crashes,
            unresponsive,
            results.Where(r => r.Failure is not null).ToList(),
            results.MaxBy(r => r.Observed.Elapsed)!,
            times[times.Count / 2],
            times[Math.Min(times.Count - 1, (int)(times.Count * 0.99))],
            resultsChecked,
            infoChecks,
            total.Elapsed);
    }

    private static SortedDictionary<string, int> Count(IEnumerable<CaseResult> results, Func<CaseResult, string> key) =>
        new(results.GroupBy(key).ToDictionary(g => g.Key, g => g.Count()), StringComparer.Ordinal);

    private static HostileTarget NewTarget(DaemonProcess daemon, Protocol.V1.DaemonInfo info) =>
        new(daemon.Discovery.GrpcPort, daemon.Discovery.HttpPort, daemon.Token, info, daemon.Client);

    /// <summary>Null when GetInfo and ListJobs answer, else what went wrong.</summary>
    private static async Task<string?> CheckServingAsync(DaemonProcess daemon)
    {
        try
        {
            await daemon.Client.GetInfoAsync(TimeSpan.FromSeconds(10));
        }
        catch (RpcException e)
        {
            return $"GetInfo failed: {e.StatusCode} {e.Status.Detail}";
        }

        try
        {
            await daemon.Client.Raw.ListJobsAsync(new Protocol.V1.ListJobsRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
        }
        catch (RpcException e)
        {
            return $"ListJobs failed: {e.StatusCode} {e.Status.Detail}";
        }

        return null;
    }
}
