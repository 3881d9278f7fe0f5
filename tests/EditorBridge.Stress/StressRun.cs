using System.Diagnostics;

namespace EditorBridge.Stress;

/// <summary>
/// The long run behind <c>dotnet run --project tests/EditorBridge.Stress</c>: hostile input, security, slow clients, load,
/// disconnects, engine and process faults, each against a fresh real daemon process, with the
/// figures for docs/reliability.md.
/// </summary>
public static class StressRun
{
    public sealed record Options(int Cases = 1000, int Seed = 0, int LoadRounds = 3, int Disconnects = 20, int SlowHeaders = 200, int SlowBodies = 50, bool WaitForHeaderTimeout = true, int KillRounds = 3, string? Program = null);

    public sealed record Report(
        Options Options,
        HostileRun.Figures Hostile,
        LoadRun.Figures Load,
        IReadOnlyList<FaultOutcome> Faults,
        IReadOnlyList<SecurityCheck> Security,
        SlowClients.Figures Slow,
        (double Right, double WrongFirst, double WrongLast, double WrongLength) TokenTimes,
        TimeSpan RefusedBeforeBody,
        long HostileIdleResident,
        long HostilePeakResident,
        TimeSpan Elapsed,
        DateTimeOffset Finished);

    public static async Task<Report> RunAsync(Options options, IProgress<string> log, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var program = options.Program ?? DaemonProcess.DefaultProgram;
        var root = Path.Combine(Path.GetTempPath(), $"editorbridge-stress-{Guid.NewGuid():N}"[..32]);
        Directory.CreateDirectory(root);
        try
        {
            // 1. hostile input, then the security promises on the same daemon (its log has seen every forged token)
            var settings = new DaemonSettings();
            var hostileState = Path.Combine(root, "hostile");
            var daemon = await DaemonProcess.StartAsync(hostileState, settings, program: program);
            long idle = daemon.ResidentBytes();
            log.Report($"hostile input: {options.Cases} cases, seed {options.Seed}, daemon pid {daemon.Pid}");
            var hostile = await HostileRun.RunAsync(() => daemon, async () =>
            {
                await daemon.DisposeAsync();
                daemon = await DaemonProcess.StartAsync(hostileState, settings, program: program);
                return daemon;
            }, options.Seed, options.Cases, log, cancellationToken: cancellationToken);
            long hostilePeak = daemon.PeakResidentBytes();
            log.Report($"hostile input: {hostile.Cases} cases, {hostile.Failures.Count} failures, {hostile.Crashes} crashes, worst {hostile.Slowest.Observed.Elapsed.TotalMilliseconds:0} ms");

            var security = new List<SecurityCheck>();
            TimeSpan beforeBody;
            SlowClients.Figures slow;
            try
            {
                security.Add(SecurityChecks.LoopbackOnly(daemon));
                security.Add(SecurityChecks.PrivateFiles(daemon));
                security.Add(SecurityChecks.DiscoveryHoldsNoSecret(daemon));
                var (refused, slowest) = await SecurityChecks.RefusedBeforeTheBodyAsync(daemon, settings.MaxRequestBytes - 1);
                security.Add(refused);
                beforeBody = slowest;
                log.Report($"slow clients: {options.SlowHeaders} slow-header and {options.SlowBodies} slow-body connections");
                slow = await SlowClients.RunAsync(daemon, options.SlowHeaders, options.SlowBodies, TimeSpan.FromSeconds(8), options.WaitForHeaderTimeout, cancellationToken);
                security.Add(SecurityChecks.TokenNeverLogged(daemon, ForgedTokens(daemon.Token)));
                security.Add(await PixelRegionChecks.HoldAsync(daemon, clientsGone: 1000));
                security.Add(await ClientRegionChecks.HoldAsync(daemon));
            }
            finally
            {
                await daemon.DisposeAsync();
            }

            security.Add(await SecurityChecks.ExposedTokenRefusedAsync(program, Path.Combine(root, "exposed")));
            var tokenTimes = SecurityChecks.TokenCheckTimes();
            foreach (var check in security)
                log.Report(check.ToString());

            // 2. load
            LoadRun.Figures load;
            await using (var loaded = await DaemonProcess.StartAsync(Path.Combine(root, "load"), new DaemonSettings(MaxRequestBytes: 256L << 20, MaxSide: 8192, MaxPixels: 4096L * 4096, BlobBudgetBytes: 1L << 30), faultEngine: false, program: program))
            {
                log.Report($"load: 3 clients x 20 jobs x {options.LoadRounds} rounds, daemon pid {loaded.Pid}");
                load = await LoadRun.RunAsync(loaded, new LoadRun.Options(Clients: 3, JobsPerClient: 20, Rounds: options.LoadRounds, CancelShare: 0.2, Seed: options.Seed, MaxSide: 2048), log, cancellationToken);
            }

            // 3. faults
            var faults = new List<FaultOutcome>();
            const int jobTimeout = 3;
            await using (var faulty = await DaemonProcess.StartAsync(Path.Combine(root, "faults"), new DaemonSettings(MaxRequestBytes: 64L << 20, JobTimeoutSeconds: jobTimeout), program: program))
            {
                faults.Add(await Disconnects.RunAsync(faulty, options.Disconnects, side: 2048));
                faults.AddRange(await EngineFaults.RunAsync(faulty, jobTimeout));
            }

            for (int i = 0; i < options.KillRounds; i++)
                faults.Add(await ProcessFaults.KillMidJobAsync(program, Path.Combine(root, $"kill-{i}")));
            faults.AddRange(await ProcessFaults.StaleDiscoveryAsync(program, Path.Combine(root, "stale")));
            faults.Add(await ProcessFaults.SimultaneousDaemonsAsync(program, Path.Combine(root, "two-daemons"), 4));
            faults.Add(await ProcessFaults.SimultaneousAutoStartAsync(program, Path.Combine(root, "two-clients"), 4));
            foreach (var fault in faults)
                log.Report(fault.ToString());

            return new Report(options, hostile, load, faults, security, slow, tokenTimes, beforeBody, idle, hostilePeak, clock.Elapsed, DateTimeOffset.UtcNow);
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Tokens the hostile run's header family presented (see HostileTarget.Expand) that are long enough to find in a log.</summary>
    private static IEnumerable<string> ForgedTokens(string token) =>
        [(token[0] == 'a' ? "b" : "a") + token[1..], token[..^1], token + "0"];
}
