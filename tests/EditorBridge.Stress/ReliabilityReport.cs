using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace EditorBridge.Stress;

/// <summary>Writes docs/reliability.md from one <see cref="StressRun.Report"/>.</summary>
public static class ReliabilityReport
{
    public static string Markdown(StressRun.Report r, string commandLine)
    {
        var h = r.Hostile;
        var l = r.Load;
        int faultsSurvived = r.Faults.Count(f => f.Survived);
        var recoveries = r.Faults.Where(f => f.Recovery is not null && f.Fault.StartsWith("daemon killed", StringComparison.Ordinal)).Select(f => f.Recovery!.Value).ToList();
        var md = new StringBuilder();
        md.AppendLine("# Reliability and security figures");
        md.AppendLine();
        md.AppendLine($"Written by `{commandLine}` on {r.Finished:yyyy-MM-dd HH:mm} UTC in {r.Elapsed.TotalMinutes:0.0} min, on {Environment.ProcessorCount} cores{LoadAverage()}, {RuntimeInformation.OSDescription}, .NET {Environment.Version}.");
        md.AppendLine("Every figure comes from that one run against the real daemon (`editorbridge serve` as a child process,");
        md.AppendLine("with the classic engine and, where faults are needed, the test suite's fault engine plugin loaded from");
        md.AppendLine("the daemon's extra engines folder). Run it again after any change to an engine or a client; the CI-size");
        md.AppendLine("version is `tests/EditorBridge.Reliability.Tests`.");
        md.AppendLine();
        md.AppendLine("## Figures");
        md.AppendLine();
        md.AppendLine("| figure | value |");
        md.AppendLine("| --- | --- |");
        md.AppendLine($"| hostile cases tried (gRPC + JSON/HTTP + raw HTTP), seed {h.Seed} | {h.Cases} ({string.Join(", ", h.Sides.Select(s => $"{s.Key} {s.Value}"))}) |");
        md.AppendLine($"| cases answered as the contract says (status, field named, time bound, pixels) | {h.Cases - h.Failures.Count} of {h.Cases} |");
        md.AppendLine($"| statuses by kind | {string.Join(", ", h.Kinds.OrderByDescending(k => k.Value).Select(k => $"{k.Key} {k.Value}"))} |");
        md.AppendLine($"| Unknown or Internal answers to hostile input | {h.Kinds.GetValueOrDefault("Unknown") + h.Kinds.GetValueOrDefault("Internal")} |");
        md.AppendLine($"| crashes (daemon died) / unresponsive after a case | {h.Crashes} / {h.Unresponsive} (GetInfo and ListJobs checked after all {h.InfoChecks} cases) |");
        md.AppendLine($"| worst response time | {Ms(h.Slowest.Observed.Elapsed)} ({Cell(h.Slowest.Case.ToString())}); median {Ms(h.Median)}, 99th percentile {Ms(h.P99)} |");
        md.AppendLine($"| load: jobs from 3 clients at once (20 each, {l.Rounds} round{(l.Rounds == 1 ? "" : "s")}) | {l.Jobs}: {l.Succeeded} succeeded, {l.Cancelled} cancelled on request, {l.CancelsTooLate} cancels arrived after the result, {l.Failed} failed |");
        md.AppendLine($"| load: jobs that waited and heard their queue position | {l.JobsThatWaited} (positions up to {l.MaxQueuePosition}); problems found: {l.Problems.Count} |");
        md.AppendLine($"| resident memory: idle / peak under load / after | {Mib(l.IdleResident)} / {Mib(l.PeakResident)} / {Mib(l.AfterResident)} (bound: idle + 3 × {Mib(l.BytesSent / Math.Max(1, l.Rounds))} in flight + {Mib(l.BlobBytes)} kept as blobs + 256 MiB = {Mib(l.ResidentBound)}) |");
        md.AppendLine($"| resident memory of the hostile-input daemon: idle / peak | {Mib(r.HostileIdleResident)} / {Mib(r.HostilePeakResident)} |");
        md.AppendLine($"| faults survived | {faultsSurvived} of {r.Faults.Count} |");
        md.AppendLine($"| time to recover after SIGKILL mid-job (client sees Unavailable, auto-start, GetInfo answers) | {(recoveries.Count == 0 ? "-" : $"{Ms(recoveries.Min())} to {Ms(recoveries.Max())} ({recoveries.Count} kill{(recoveries.Count == 1 ? "" : "s")})")} |");
        md.AppendLine($"| security promises holding | {r.Security.Count(s => s.Holds)} of {r.Security.Count} |");
        md.AppendLine($"| painter's pixels: results compared outside the selection, bit for bit | {h.ResultsChecked + l.ResultsChecked} results ({l.PixelsCompared} pixels under load), {h.Failures.Count(f => f.Failure?.Contains("outside the selection") == true) + l.Problems.Count(p => p.Contains("outside the selection"))} differed; a scribbling engine changed none: {(r.Faults.FirstOrDefault(f => f.Fault.Contains("writes into its input"))?.Survived == true ? "yes" : "NO")}; sent layers unchanged: {l.LayersUnchanged} of {l.Jobs} |");
        md.AppendLine();

        md.AppendLine("## Hostile input");
        md.AppendLine();
        md.AppendLine("Each case is generated from the seed and its number (`dotnet run -c Release --project tests/EditorBridge.Stress -- --seed S --cases N` replays them).");
        md.AppendLine("Job requests are a small valid fill with one to three random or boundary changes in any field; the");
        md.AppendLine("oracle (`ContractModel`) lists every rule of the contract the request breaks and accepts a refusal that");
        md.AppendLine("names any of them. Other families send what a broken or hostile client sends. Every case must get its");
        md.AppendLine($"status with the field in the message, never Unknown or Internal, within {HostileRun.Bound.TotalSeconds:0} s; a successful job must keep");
        md.AppendLine("every pixel outside its (grown) selection bit for bit; GetInfo and ListJobs must answer after every case.");
        md.AppendLine();
        md.AppendLine("| outcome | cases |");
        md.AppendLine("| --- | --- |");
        foreach (var (kind, n) in h.Kinds.OrderByDescending(k => k.Value))
            md.AppendLine($"| {kind} | {n} |");
        md.AppendLine();
        md.AppendLine($"Results of successful jobs checked pixel by pixel: {h.ResultsChecked}. Cases took {h.Elapsed.TotalSeconds:0} s in all.");
        md.AppendLine();
        if (h.Failures.Count == 0)
        {
            md.AppendLine("No case failed.");
        }
        else
        {
            md.AppendLine($"Failed cases ({h.Failures.Count}):");
            md.AppendLine();
            foreach (var f in h.Failures.Take(50))
                md.AppendLine($"- {Cell(f.Case.ToString())}: {Cell(f.Failure ?? "")}");
        }

        md.AppendLine();
        md.AppendLine("## Load");
        md.AppendLine();
        md.AppendLine($"Three clients — two over gRPC on their own channels, one over JSON/HTTP with blobs as the Krita bridge does —");
        md.AppendLine($"each submit 20 fills at once ({l.Rounds} round{(l.Rounds == 1 ? "" : "s")}), layers of 64 to 2048 pixels (a fifth of them 16-bit), telea, ns or");
        md.AppendLine("exemplar; a fifth of the jobs are cancelled (CancelJob or the client going away) after a random delay. Every");
        md.AppendLine("layer sits elsewhere on the canvas, so a result delivered to the wrong client would be caught by the pixel check.");
        md.AppendLine();
        md.AppendLine("| figure | value |");
        md.AppendLine("| --- | --- |");
        md.AppendLine($"| jobs | {l.Jobs} |");
        md.AppendLine($"| succeeded, results checked | {l.Succeeded}, {l.ResultsChecked} ({l.PixelsCompared} pixels outside selections compared) |");
        md.AppendLine($"| layers (and masks) unchanged in the client's memory after sending (SHA-256 before and after) | {l.LayersUnchanged} of {l.Jobs} |");
        md.AppendLine($"| cancellations asked / took effect / arrived after the result | {l.CancelsAsked} / {l.Cancelled} / {l.CancelsTooLate} |");
        md.AppendLine($"| worst time from CancelJob to the stream ending | {Ms(l.WorstCancel)} |");
        md.AppendLine($"| jobs that waited, hearing their position | {l.JobsThatWaited}, positions up to {l.MaxQueuePosition} |");
        md.AppendLine($"| failed / problems | {l.Failed} / {l.Problems.Count} |");
        md.AppendLine($"| bytes sent | {Mib(l.BytesSent)}; the JSON client's uploads and result blobs ({Mib(l.BlobBytes)}) stay in the blob store until their TTL |");
        md.AppendLine($"| resident memory idle / peak / after | {Mib(l.IdleResident)} / {Mib(l.PeakResident)} / {Mib(l.AfterResident)} |");
        md.AppendLine($"| stated bound for the peak: idle + 3 × one round's requests + the blobs kept + 256 MiB | {Mib(l.ResidentBound)} — {(l.PeakResident <= l.ResidentBound ? "kept" : "EXCEEDED")} |");
        md.AppendLine($"| time | {l.Elapsed.TotalSeconds:0.0} s |");
        foreach (var p in l.Problems.Take(20))
            md.AppendLine($"\n- problem: {Cell(p)}");
        md.AppendLine();

        md.AppendLine("## Faults");
        md.AppendLine();
        md.AppendLine("| fault | survived | what happened | recovery |");
        md.AppendLine("| --- | --- | --- | --- |");
        foreach (var f in r.Faults)
            md.AppendLine($"| {Cell(f.Fault)} | {(f.Survived ? "yes" : "**no**")} | {Cell(f.Detail)} | {(f.Recovery is { } t ? Ms(t) : "")} |");
        md.AppendLine();

        md.AppendLine("## Security");
        md.AppendLine();
        md.AppendLine("| promise | holds | evidence |");
        md.AppendLine("| --- | --- | --- |");
        foreach (var s in r.Security)
            md.AppendLine($"| {Cell(s.Promise)} | {(s.Holds ? "yes" : "**no**")} | {Cell(s.Evidence)} |");
        var (right, first, last, length) = r.TokenTimes;
        md.AppendLine($"| tokens compared in constant time | measured | median per check: right token {right:0} ns, wrong first character {first:0} ns, wrong last character {last:0} ns (CryptographicOperations.FixedTimeEquals); a wrong length returns sooner ({length:0} ns): the length (64) is public |");
        var sl = r.Slow;
        md.AppendLine($"| slow clients do not hold up others | {(sl.WorstGetInfo < TimeSpan.FromSeconds(2) && sl.BodiesRefused == sl.SlowBodies ? "yes" : "**no**")} | {sl.SlowHeaders} connections sending headers a byte a second and {sl.SlowBodies} sending a body a byte a second: meanwhile {sl.Served} GetInfo / GET /v1/info answered, the slowest in {Ms(sl.WorstGetInfo)} / {Ms(sl.WorstJsonInfo)}; every slow body refused, the last {sl.SlowestBodyRefusal.TotalSeconds:0.0} s after the start ({Cell(sl.BodyAnswer)}); slow headers dropped by the daemon: {sl.HeadersDropped} of {sl.SlowHeaders}{(sl.HeadersDropped > 0 ? $", the last after {sl.SlowestHeadersDrop.TotalSeconds:0.0} s (Kestrel's 30 s headers timeout)" : "")} |");
        md.AppendLine();

        md.AppendLine("## What is not covered");
        md.AppendLine();
        md.AppendLine("- Resident memory does not fall back after load: the .NET GC keeps freed memory for reuse (the disconnect");
        md.AppendLine("  row shows it is reused, not leaked), and blobs stay until their TTL (no DeleteBlob call in the contract).");
        md.AppendLine("- An engine that hangs ignoring cancellation fails its job and frees its lane, but its call keeps a thread (and the");
        md.AppendLine("  work image) until it returns: plugins run in the daemon's process, which cannot stop a thread. The daemon logs it.");
        md.AppendLine("- A plugin that crashes the process (stack overflow, native fault) takes the daemon down; clients then get");
        md.AppendLine("  Unavailable and auto-start brings a new daemon, as the SIGKILL rows show.");
        md.AppendLine("- Slow-loris on the HTTP/2 (gRPC) port is left to Kestrel's HTTP/2 limits and not measured here.");
        md.AppendLine("- Windows: the token-file permission checks are Unix modes; Windows uses a user-only ACL, not exercised here.");
        return md.ToString();
    }

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";

    private static string Mib(long bytes) => (bytes / (1024.0 * 1024)).ToString("0", CultureInfo.InvariantCulture) + " MiB";

    // table cells: no pipes, no line breaks, control characters and invisible ones shown as escapes
    private static string Cell(string text)
    {
        var cell = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c == '|')
                cell.Append("\\|");
            else if (char.IsControl(c) || c is '\u200b' or '\u200e' or '\u202e' or '\ufeff')
                cell.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            else
                cell.Append(c);
        }

        return cell.ToString();
    }

    // Times depend on what else the machine runs: say how busy it was (Linux; empty elsewhere).
    private static string LoadAverage()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return $" (load average {fields[0]} at the end)";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
