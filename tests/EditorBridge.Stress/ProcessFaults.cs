using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EditorBridge.Client;
using EditorBridge.LocalState;
using EditorBridge.Protocol.V1;
using EditorBridge.Stress.Faults;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace EditorBridge.Stress;

/// <summary>
/// Faults of the daemon process itself, driven through the client library as an editor plugin
/// uses it (<see cref="DaemonConnection.ConnectAsync"/> with auto-start): the daemon killed in
/// the middle of a job, stale discovery files, two daemons or two auto-starting clients at once.
/// Every daemon started here is killed before the method returns.
/// </summary>
public static class ProcessFaults
{
    /// <summary>
    /// Kills the daemon (SIGKILL) while a job runs; the client must get Unavailable, and auto-start
    /// must bring a daemon back. The daemons auto-started here load the fault engine (settings.json
    /// in the state folder names its folder), and the job killed is its slow operation, far longer
    /// than the wait for its end: the kill surely lands mid-job, whatever the machine's load (a real
    /// fill of a few seconds sometimes ended first on a fast machine).
    /// </summary>
    public static async Task<FaultOutcome> KillMidJobAsync(string program, string stateDirectory)
    {
        const string fault = "daemon killed (SIGKILL) in the middle of a job";
        var paths = new StatePaths(Path.GetFullPath(stateDirectory));
        paths.EnsureExists();
        File.WriteAllText(Path.Combine(paths.StateDirectory, "settings.json"),
            System.Text.Json.JsonSerializer.Serialize(new { ExtraEnginesDirectory = DaemonProcess.TestEnginesDirectory }));
        var options = new ConnectOptions { StateDirectory = paths.StateDirectory, DaemonCommand = program };
        var pids = new List<int>();
        try
        {
            using var first = await DaemonConnection.ConnectAsync(options);
            pids.Add(first.Discovery.Pid);
            // 100000 steps of 10 ms: the job cannot end by itself before the kill
            var request = new JobRequest
            {
                Operation = FaultOperations.Slow,
                Layer = Pictures.Layer(64, 48, seed: 11),
                Parameters = new Struct { Fields = { ["steps"] = Value.ForNumber(100_000), ["step_ms"] = Value.ForNumber(10) } },
            };
            var working = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var run = first.Client.RunJobAsync(request, new Progress(e =>
            {
                if (e.EventCase == JobEvent.EventOneofCase.Progress && e.Progress.Step > 0)
                    working.TrySetResult();
            }));
            await working.Task.WaitAsync(TimeSpan.FromSeconds(60));

            var clock = Stopwatch.StartNew();
            using (var process = Process.GetProcessById(first.Discovery.Pid))
                process.Kill();
            StatusCode code;
            string message;
            try
            {
                await run.WaitAsync(TimeSpan.FromSeconds(30));
                return new FaultOutcome(fault, false, "the job finished although its daemon was killed");
            }
            catch (RpcException e)
            {
                (code, message) = (e.StatusCode, e.Status.Detail);
            }

            var told = clock.Elapsed;
            using var second = await DaemonConnection.ConnectAsync(options);
            pids.Add(second.Discovery.Pid);
            var info = await second.Client.GetInfoAsync(TimeSpan.FromSeconds(10));
            var recovered = clock.Elapsed;
            var small = Pictures.Fill(Pictures.Layer(64, 48, seed: 12), Pictures.Rectangle(20, 16, 12, 10));
            var result = await second.Client.RunJobAsync(small, timeout: TimeSpan.FromSeconds(30));
            var wrong = Pictures.CheckResult(small, result, info.GeometryDefaults.GrowPixels);
            var survived = code == StatusCode.Unavailable && info.Pid != pids[0] && wrong is null;
            return new FaultOutcome(fault, survived,
                $"the client got {code} after {told.TotalMilliseconds:0} ms ('{Observed.Shorten(message, 100)}'); auto-start brought up pid {info.Pid} (was {pids[0]}){(wrong is null ? "; a fill through it came back right" : "; " + wrong)}",
                recovered);
        }
        finally
        {
            KillAll(pids, stateDirectory);
        }
    }

    /// <summary>Discovery files that lie; the client must see through each and start (and use) a daemon of its own.</summary>
    public static async Task<IReadOnlyList<FaultOutcome>> StaleDiscoveryAsync(string program, string root)
    {
        var outcomes = new List<FaultOutcome>();
        using var silent = new TcpListener(IPAddress.Loopback, 0); // accepts, never answers
        silent.Start();
        using var refusing = new TcpListener(IPAddress.Loopback, 0); // accepts and closes at once
        refusing.Start();
        using var http1 = new TcpListener(IPAddress.Loopback, 0); // answers HTTP/1.1 200 to anything
        http1.Start();
        using var stop = new CancellationTokenSource();
        var servers = new[] { ServeAsync(silent, null, stop.Token), ServeAsync(refusing, [], stop.Token), ServeAsync(http1, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"u8.ToArray(), stop.Token) };
        await using var other = await DaemonProcess.StartAsync(Path.Combine(root, "other-user"), faultEngine: false, program: program);
        int live = Environment.ProcessId;
        int dead = DeadPid();
        var cases = new (string Fault, DiscoveryInfo Info)[]
        {
            ("stale discovery file: dead pid", new DiscoveryInfo(1, 2, dead, "0.0.1", 0)),
            ("stale discovery file: live pid (not a daemon), nothing on the port", new DiscoveryInfo(FreePort(), FreePort(), live, "0.0.1", 0)),
            ("stale discovery file: port reused by a program that accepts and closes", new DiscoveryInfo(Port(refusing), Port(refusing), live, "0.0.1", 0)),
            ("stale discovery file: port reused by an HTTP/1.1 server", new DiscoveryInfo(Port(http1), Port(http1), live, "0.0.1", 0)),
            ("stale discovery file: port reused by a program that never answers", new DiscoveryInfo(Port(silent), Port(silent), live, "0.0.1", 0)),
            ("stale discovery file: port reused by another user's EditorBridge daemon", other.Discovery),
            ("damaged discovery file (not JSON)", new DiscoveryInfo(0, 0, 0, "", 0)),
        };
        int n = 0;
        foreach (var (fault, info) in cases)
        {
            var state = Path.Combine(root, $"stale-{n++}");
            var paths = new StatePaths(state);
            paths.EnsureExists();
            if (fault.StartsWith("damaged", StringComparison.Ordinal))
                await File.WriteAllTextAsync(paths.DiscoveryFile, "{ \"grpc_port\": ");
            else
                info.Write(paths.DiscoveryFile);
            // a token file of our own, so the client does try the lying address
            TokenFile.LoadOrCreate(paths.TokenFile);
            outcomes.Add(await ReplacedAsync(fault, program, paths, info.Pid));
        }

        await stop.CancelAsync();
        silent.Stop();
        refusing.Stop();
        http1.Stop();
        await Task.WhenAll(servers.Select(s => s.ContinueWith(_ => { }, TaskScheduler.Default)));
        return outcomes;
    }

    private static async Task<FaultOutcome> ReplacedAsync(string fault, string program, StatePaths paths, int liarPid)
    {
        var clock = Stopwatch.StartNew();
        int? started = null;
        try
        {
            using var connection = await DaemonConnection.ConnectAsync(new ConnectOptions { StateDirectory = paths.StateDirectory, DaemonCommand = program });
            started = connection.Discovery.Pid;
            var info = await connection.Client.GetInfoAsync(TimeSpan.FromSeconds(10));
            var elapsed = clock.Elapsed;
            var written = DiscoveryInfo.TryRead(paths.DiscoveryFile);
            bool ours = info.Pid == connection.Discovery.Pid && info.Pid != liarPid && written?.Pid == info.Pid;
            return new FaultOutcome(fault, ours, ours ? $"detected; a new daemon (pid {info.Pid}) serves and the file names it" : $"connected to pid {info.Pid}; file names {written?.Pid}", elapsed);
        }
        catch (Exception e) when (e is RpcException or DaemonUnavailableException or IOException)
        {
            return new FaultOutcome(fault, false, $"{e.GetType().Name}: {e.Message}");
        }
        finally
        {
            KillAll(started is { } p ? [p] : [], paths.StateDirectory);
        }
    }

    /// <summary>Starts <paramref name="count"/> daemons for one state folder at the same moment: exactly one must serve.</summary>
    public static async Task<FaultOutcome> SimultaneousDaemonsAsync(string program, string stateDirectory, int count)
    {
        string fault = $"{count} daemons started at once for one user";
        new StatePaths(stateDirectory).EnsureExists();
        var processes = Enumerable.Range(0, count).Select(_ => Process.Start(DaemonProcess.Command(program, "serve", "--state-dir", stateDirectory))!).ToList();
        try
        {
            var outputs = processes.Select(p => p.StandardError.ReadToEndAsync()).ToList();
            var until = DateTime.UtcNow.AddSeconds(60);
            while (processes.Count(p => !p.HasExited) > 1 && DateTime.UtcNow < until)
                await Task.Delay(50);
            var discovery = await WaitForDiscoveryAsync(new StatePaths(stateDirectory), TimeSpan.FromSeconds(30));
            await Task.Delay(500); // a late second winner would show up now
            var serving = processes.Where(p => !p.HasExited).ToList();
            var refused = processes.Where(p => p.HasExited).ToList();
            if (serving.Count != 1 || discovery is null || discovery.Pid != serving[0].Id)
                return new FaultOutcome(fault, false, $"{serving.Count} serving; discovery names {discovery?.Pid}");
            using var connection = await DaemonConnection.ConnectAsync(new ConnectOptions { StateDirectory = stateDirectory, AutoStart = false });
            var info = await connection.Client.GetInfoAsync(TimeSpan.FromSeconds(10));
            var messages = refused.Select(p => outputs[processes.IndexOf(p)]).Select(t => t.IsCompleted ? t.Result.Trim() : "").ToList();
            bool told = refused.All(p => p.ExitCode != 0) && messages.All(m => m.Contains("already running", StringComparison.Ordinal) || m.Contains("holds", StringComparison.Ordinal));
            return new FaultOutcome(fault, info.Pid == serving[0].Id && told,
                $"pid {info.Pid} serves; {refused.Count} exited with code {string.Join(", ", refused.Select(p => p.ExitCode).Distinct())}: '{Observed.Shorten(messages.FirstOrDefault() ?? "", 120)}'");
        }
        finally
        {
            foreach (var p in processes)
            {
                if (!p.HasExited)
                    p.Kill(entireProcessTree: true);
                p.Dispose();
            }
        }
    }

    /// <summary>Two editors auto-start the daemon at the same moment: both must end up connected to the one that serves.</summary>
    public static async Task<FaultOutcome> SimultaneousAutoStartAsync(string program, string stateDirectory, int clients)
    {
        string fault = $"{clients} clients auto-start the daemon at once";
        var options = new ConnectOptions { StateDirectory = stateDirectory, DaemonCommand = program };
        var attempts = Enumerable.Range(0, clients).Select(_ => Task.Run(() => DaemonConnection.ConnectAsync(options))).ToList();
        try
        {
            await Task.WhenAll(attempts);
        }
        catch (Exception)
        {
            // inspected below
        }

        var connected = attempts.Where(a => a.IsCompletedSuccessfully).Select(a => a.Result).ToList();
        var failures = attempts.Where(a => a.IsFaulted).Select(a => a.Exception!.InnerException!.Message).ToList();
        try
        {
            var pids = connected.Select(c => c.Discovery.Pid).Distinct().ToList();
            bool ok = failures.Count == 0 && pids.Count == 1;
            return new FaultOutcome(fault, ok, ok ? $"all {clients} connected to pid {pids[0]}" : $"{connected.Count} connected to pid(s) {string.Join(", ", pids)}; {failures.Count} failed: '{Observed.Shorten(failures.FirstOrDefault() ?? "", 200)}'");
        }
        finally
        {
            KillAll(connected.Select(c => c.Discovery.Pid), stateDirectory);
            foreach (var c in connected)
                c.Dispose();
        }
    }

    private static async Task<DiscoveryInfo?> WaitForDiscoveryAsync(StatePaths paths, TimeSpan timeout)
    {
        for (var until = DateTime.UtcNow + timeout; DateTime.UtcNow < until; await Task.Delay(50))
        {
            if (DiscoveryInfo.TryRead(paths.DiscoveryFile) is { } d && d.ProcessIsAlive())
                return d;
        }

        return null;
    }

    /// <summary>Kills the given daemons and whatever daemon the state folder's discovery file names.</summary>
    public static void KillAll(IEnumerable<int> pids, string stateDirectory)
    {
        var all = pids.ToHashSet();
        if (DiscoveryInfo.TryRead(new StatePaths(stateDirectory).DiscoveryFile) is { } d && d.Pid != Environment.ProcessId)
            all.Add(d.Pid);
        foreach (var pid in all)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                if (process.ProcessName is "dotnet" or "editorbridge")
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10_000);
                }
            }
            catch (ArgumentException)
            {
                // already gone
            }
            catch (InvalidOperationException)
            {
            }
        }
    }

    private static async Task ServeAsync(TcpListener listener, byte[]? answer, CancellationToken cancellationToken)
    {
        var held = new List<TcpClient>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(cancellationToken);
                if (answer is null)
                {
                    held.Add(client); // never answers
                    continue;
                }

                try
                {
                    if (answer.Length > 0)
                        await client.GetStream().WriteAsync(answer, cancellationToken);
                }
                catch (IOException)
                {
                }

                client.Dispose();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            foreach (var c in held)
                c.Dispose();
        }
    }

    private static int Port(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return Port(listener);
    }

    private static int DeadPid()
    {
        for (int pid = 3_999_999; ; pid--)
        {
            try
            {
                Process.GetProcessById(pid).Dispose();
            }
            catch (ArgumentException)
            {
                return pid;
            }
        }
    }

    private sealed class Progress(Action<JobEvent> report) : IProgress<JobEvent>
    {
        public void Report(JobEvent value) => report(value);
    }
}
