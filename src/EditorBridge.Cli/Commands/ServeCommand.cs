using System.CommandLine;
using EditorBridge.Daemon.Core;
using EditorBridge.Daemon.Hosting;
using EditorBridge.LocalState;

namespace EditorBridge.Cli.Commands;

/// <summary>
/// <c>editorbridge serve</c>: hosts the daemon until Ctrl+C or SIGTERM. Engines come from the
/// engines folder and, when set, the extra engines folder (<c>ExtraEnginesDirectory</c> in
/// settings.json or <c>EDITORBRIDGE_ExtraEnginesDirectory</c>; the test suite's fault engine loads that way).
/// </summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var grpcPort = new Option<int>("--grpc-port") { Description = "gRPC (HTTP/2) port on loopback; 0 = a free one" };
        var httpPort = new Option<int>("--http-port") { Description = "JSON (HTTP/1.1) port on loopback; 0 = a free one" };
        var engines = new Option<string?>("--engines-dir") { Description = "Folder of engine plugins (default: 'engines' beside this program)" };
        var maxRequest = new Option<long?>("--max-request-bytes") { Description = $"Largest request accepted (default {LimitsOptions.DefaultMaxRequestBytes}: an 8192² RGBA16 layer and its mask)" };
        var concurrency = new Option<int?>("--concurrency") { Description = "Jobs run at once per device (default 1)" };
        var background = new Option<bool>("--background") { Description = "Write the log to daemon.log in the state folder instead of the console (used when a client starts the daemon)" };
        var remote = new StudioListenOptions();
        var command = new Command("serve", "Run the daemon until Ctrl+C (loopback; with --listen also a network address, TLS and studio tokens only)") { grpcPort, httpPort, engines, maxRequest, concurrency, background };
        remote.AddTo(command);
        command.SetAction((parse, cancellationToken) => GlobalOptions.Guard(async () =>
        {
            Interrupt.WaitForCommand(); // Ctrl+C stops the daemon, which takes its time
            var options = DaemonOptionsLoader.Load(parse.GetValue(GlobalOptions.StateDirectory));
            if (parse.GetResult(grpcPort) is not null)
                options.GrpcPort = parse.GetValue(grpcPort);
            if (parse.GetResult(httpPort) is not null)
                options.HttpPort = parse.GetValue(httpPort);
            options.EnginesDirectory = parse.GetValue(engines) ?? options.EnginesDirectory;
            if (parse.GetValue(maxRequest) is { } max)
                options.Limits.MaxRequestBytes = max > 0 ? max : throw new UsageException("--max-request-bytes must be positive");
            if (parse.GetValue(concurrency) is { } c)
                options.Limits.MaxConcurrentJobsPerDevice = c > 0 ? c : throw new UsageException("--concurrency must be at least 1");
            remote.Apply(parse, options.Remote);
            DaemonOptionsLoader.Check(options);
            if (parse.GetValue(background))
                RedirectConsoleToLog(StatePaths.ForCurrentUser(options.StateDirectory));
            return await ServeAsync(options, cancellationToken);
        }));
        return command;
    }

    private static async Task<int> ServeAsync(DaemonOptions options, CancellationToken cancellationToken)
    {
        // before the engines start their threads: few native heap arenas, so idle memory comes back
        NativeHeap.LimitArenas();
        DaemonHost host;
        try
        {
            host = await DaemonHost.StartAsync(options, cancellationToken: cancellationToken);
        }
        catch (DaemonAlreadyRunningException e)
        {
            Console.Error.WriteLine($"editorbridge: {e.Message}");
            return ExitCodes.AlreadyRunning;
        }

        await using (host)
        {
            var d = host.Discovery;
            Console.WriteLine($"EditorBridge {d.Version} serving gRPC on 127.0.0.1:{d.GrpcPort} and JSON on 127.0.0.1:{d.HttpPort} (pid {d.Pid})");
            Console.WriteLine($"state folder: {host.Paths.StateDirectory}");
            if (host.Remote is { } r)
            {
                Console.WriteLine($"serving studio clients on {r.Url} (TLS; names {string.Join(", ", r.Names.Names)}; tokens {r.Tokens.Path})");
                Console.WriteLine($"certificate SHA-256 fingerprint (clients pin it): {r.Fingerprint}");
            }
            try
            {
                await host.WaitForShutdownAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: a normal stop
            }
        }

        return ExitCodes.Ok;
    }

    private static void RedirectConsoleToLog(StatePaths paths)
    {
        paths.EnsureExists();
        var file = new FileStream(paths.LogFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        StandardStreams.PointAt(file);
        var log = new StreamWriter(file) { AutoFlush = true };
        Console.SetOut(log);
        Console.SetError(log);
    }
}
