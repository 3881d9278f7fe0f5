using EditorBridge.Stress;
using Xunit.Abstractions;

namespace EditorBridge.Reliability.Tests;

/// <summary>
/// Hostile input from the seeded generator against the real daemon process: every case gets the
/// status the contract names (never Unknown or Internal) with the field in the message, within the
/// time bound, successful jobs keep every unselected pixel, and GetInfo answers after every case.
/// Set EDITORBRIDGE_STRESS_SEED to replay another seed.
/// </summary>
public sealed class HostileInputTests(DaemonProcessFixture fixture, ITestOutputHelper output) : IClassFixture<DaemonProcessFixture>
{
    public const int CiCases = 240;

    [Fact]
    public async Task Every_hostile_case_gets_a_precise_status_and_the_daemon_keeps_serving()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("EDITORBRIDGE_STRESS_SEED"), out var s) ? s : 20260501;
        int count = int.TryParse(Environment.GetEnvironmentVariable("EDITORBRIDGE_STRESS_CASES"), out var c) ? c : CiCases;
        var log = new List<string>();
        var figures = await HostileRun.RunAsync(() => fixture.Daemon, fixture.RestartAsync, seed, count, new Progress<string>(log.Add));

        output.WriteLine($"seed {seed}: {figures.Cases} cases in {figures.Elapsed.TotalSeconds:0.0} s; worst {figures.Slowest.Observed.Elapsed.TotalMilliseconds:0} ms ({figures.Slowest.Case}); results checked {figures.ResultsChecked}");
        foreach (var (kind, n) in figures.Kinds)
            output.WriteLine($"  {kind}: {n}");
        foreach (var f in figures.Failures)
            output.WriteLine($"FAIL {f.Case}\n     {f.Failure}");
        Assert.Equal(0, figures.Crashes);
        Assert.Equal(figures.Cases, figures.InfoChecks);
        if (figures.Failures.Count > 0)
            Assert.Fail($"{figures.Failures.Count} of {figures.Cases} cases failed (seed {seed}); first: {figures.Failures[0].Case} → {figures.Failures[0].Failure}");
    }
}
