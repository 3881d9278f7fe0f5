using EditorBridge.Stress;
using Grpc.Core;

namespace EditorBridge.Reliability.Tests;

/// <summary>The figures page: the table the issue asks for, and table cells that survive hostile text.</summary>
public sealed class ReliabilityReportTests
{
    [Fact]
    public void The_figures_table_has_every_figure_and_hostile_text_stays_inside_its_cell()
    {
        var slowest = new HostileRun.CaseResult(
            new HostileCase(7, "headers", "JSON", "Origin 'a|b\u001b\n'", Expectation.Ok, (_, _) => throw new NotSupportedException()),
            Observed.Status(StatusCode.PermissionDenied, "Origin: 'a|b'", TimeSpan.FromMilliseconds(12)),
            null);
        var hostile = new HostileRun.Figures(5, 1000, new Dictionary<string, int> { ["InvalidArgument"] = 600, ["OK"] = 400 }, new Dictionary<string, int> { ["gRPC"] = 500, ["JSON"] = 500 },
            0, 0, [], slowest, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(9), 100, 1000, TimeSpan.FromSeconds(10));
        var load = new LoadRun.Figures(60, 50, 8, 10, 2, 0, [], 55, 40, 50, 900, 60, 100 << 20, 30 << 20, 90 << 20, 400 << 20, 380 << 20, TimeSpan.FromMilliseconds(30), TimeSpan.FromSeconds(9));
        var report = new StressRun.Report(new StressRun.Options(), hostile, load,
            [new FaultOutcome("daemon killed (SIGKILL) in the middle of a job", true, "Unavailable", TimeSpan.FromMilliseconds(600)), new FaultOutcome("engine throws", true, "Internal")],
            [new SecurityCheck("listens on loopback only", true, "127.0.0.1:1")],
            new SlowClients.Figures(200, 50, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(6), 100, 50, TimeSpan.FromSeconds(6), "400 request body: …", 200, TimeSpan.FromSeconds(32)),
            (300, 301, 302, 120), TimeSpan.FromMilliseconds(11), 80 << 20, 150 << 20, TimeSpan.FromMinutes(2), DateTimeOffset.UnixEpoch);

        var md = ReliabilityReport.Markdown(report, "editorbridge stress --seed 5");

        foreach (var figure in new[]
        {
            "| hostile cases tried (gRPC + JSON/HTTP + raw HTTP), seed 5 | 1000 (gRPC 500, JSON 500) |",
            "| statuses by kind | InvalidArgument 600, OK 400 |",
            "| crashes (daemon died) / unresponsive after a case | 0 / 0",
            "| worst response time | 12 ms",
            "| resident memory: idle / peak under load / after | 90 MiB / 400 MiB / 380 MiB",
            "| faults survived | 2 of 2 |",
            "| time to recover after SIGKILL mid-job (client sees Unavailable, auto-start, GetInfo answers) | 600 ms to 600 ms (1 kill) |",
        })
            Assert.Contains(figure, md);
        Assert.Contains("Origin 'a\\|b\\u001b\\u000a'", md);
    }
}
