using System.CommandLine;
using EditorBridge.Client;
using EditorBridge.LocalState;
using EditorBridge.Protocol.V1;

namespace EditorBridge.Cli.Commands;

/// <summary>
/// <c>editorbridge doctor</c>: checks what a working install needs and prints a fix for each
/// failure: state folder and token permissions, the daemon answering (started the way every
/// client starts it when none runs, unless --no-start), its engine plugins loading and running
/// in the daemon's own process (the daemon's CheckEngines call), execution providers, the model
/// store's models.
/// </summary>
public static class DoctorCommand
{
    public static Command Create()
    {
        var verifyModels = new Option<bool>("--verify-models") { Description = "Also check every model file's SHA-256 (reads every byte: minutes for big models)" };
        var command = new Command("doctor", "Check the installation and say how to fix what is wrong") { verifyModels };
        command.SetAction((parse, cancellationToken) => GlobalOptions.Guard(async () =>
        {
            var report = new DoctorReport(Console.Out);
            var connect = GlobalOptions.Connect(parse);
            var paths = StatePaths.ForCurrentUser(connect.StateDirectory);
            CheckFiles(report, paths);
            var modelsDirectory = await CheckDaemonAsync(report, paths, connect, cancellationToken);
            CheckModels(report, modelsDirectory ?? ModelStoreLocation.ForCurrentUser(), parse.GetValue(verifyModels), cancellationToken);
            Console.WriteLine(report.Problems == 0 ? "all checks passed" : $"{report.Problems} problem(s) found");
            return report.Problems == 0 ? ExitCodes.Ok : ExitCodes.DoctorFoundProblems;
        }));
        return command;
    }

    private static void CheckFiles(DoctorReport report, StatePaths paths)
    {
        if (!Directory.Exists(paths.StateDirectory))
        {
            report.Note($"state folder {paths.StateDirectory} does not exist yet: it is made when the daemon first starts");
            return;
        }

        report.Pass($"state folder {paths.StateDirectory}");
        if (!File.Exists(paths.TokenFile))
            report.Note("no token file yet: the daemon creates it on first start");
        else if (!TokenFile.IsPrivate(paths.TokenFile))
            report.Fail($"token file {paths.TokenFile} is open to other users: the daemon refuses to start with it",
                $"rm '{paths.TokenFile}' (a new token is made at the next start), or chmod 600 '{paths.TokenFile}' if no one else can have read it");
        else
            report.Pass("token file readable by this user only");
    }

    private static void CheckModels(DoctorReport report, string directory, bool hashFiles, CancellationToken cancellationToken)
    {
        foreach (var finding in ModelStoreCheck.Run(directory, hashFiles, cancellationToken))
        {
            if (finding.Fix is { } fix)
                report.Fail(finding.What, fix);
            else
                report.Pass(finding.What);
        }
    }

    // The models folder the daemon uses (null when no daemon answered).
    private static async Task<string?> CheckDaemonAsync(DoctorReport report, StatePaths paths, ConnectOptions connect, CancellationToken cancellationToken)
    {
        var discovery = DiscoveryInfo.TryRead(paths.DiscoveryFile);
        int? running = discovery is not null && discovery.ProcessIsAlive() ? discovery.Pid : null;
        if (running is null && !connect.AutoStart)
        {
            report.Note(discovery is null
                ? "the daemon is not running (--no-start: engines not checked; clients start it on demand, or run 'editorbridge serve')"
                : $"stale discovery file: pid {discovery.Pid} is gone (--no-start: engines not checked); the next client start replaces it");
            return null;
        }

        DaemonConnection connection;
        try
        {
            connection = await DaemonConnection.ConnectAsync(connect, cancellationToken);
        }
        catch (DaemonUnavailableException e)
        {
            report.Fail(running is null ? $"the daemon does not start: {e.Message}" : $"the daemon (pid {running}) does not answer: {e.Message}",
                running is null ? "run 'editorbridge serve' to see the whole error" : "stop that process, then run 'editorbridge serve'");
            return null;
        }

        using (connection)
        {
            if (connection.Discovery.Pid != running)
                report.Note($"the daemon was not running: started it (pid {connection.Discovery.Pid}) as a client would; it keeps running for the next client");
            try
            {
                var info = await connection.Client.GetInfoAsync(TimeSpan.FromSeconds(10), cancellationToken);
                var d = connection.Discovery;
                report.Pass($"daemon {info.Version} answers (pid {info.Pid}, gRPC {d.GrpcPort}, JSON {d.HttpPort})");
                foreach (var engine in info.Engines)
                    report.Pass(engine.Operations.Count == 0
                        ? $"engine {engine.Name} {engine.Version}: loaded; it offers operations once a model for it is installed"
                        : $"engine {engine.Name} {engine.Version}: {string.Join(", ", engine.Operations.Select(o => o.Name))} on {string.Join(", ", engine.Devices)}");
                report.Pass($"execution providers this build's ONNX Runtime runs models on: {string.Join(", ", info.ExecutionProviders)}{CpuOnlyNote(info.ExecutionProviders)}");
                await CheckEnginesAsync(report, connection.Client, cancellationToken);
                return string.IsNullOrEmpty(info.ModelsDirectory) ? null : info.ModelsDirectory;
            }
            catch (Grpc.Core.RpcException e)
            {
                report.Fail($"the daemon (pid {connection.Discovery.Pid}) does not answer: {e.Status.Detail}", "stop that process, then run 'editorbridge serve'");
                return null;
            }
        }
    }

    private static string CpuOnlyNote(IEnumerable<string> providers) =>
        providers.All(p => p == "cpu") ? " (models run on the CPU: slow for diffusion; the CUDA and DirectML builds use a GPU, see docs/diffusion-engine.md)" : "";

    // The daemon runs each engine on a test picture in its own process: that proves the engines' native libraries load there.
    private static async Task CheckEnginesAsync(DoctorReport report, EditorBridgeClient client, CancellationToken cancellationToken)
    {
        var checks = await client.CheckEnginesAsync(TimeSpan.FromSeconds(120), cancellationToken);
        foreach (var problem in checks.PluginProblems)
            report.Fail($"plugin not loaded: {problem.Location}: {problem.Message}", FixFor(problem.Message));
        foreach (var check in checks.Engines)
        {
            switch (check.Outcome)
            {
                case EngineCheckOutcome.Passed:
                    report.Pass($"the daemon filled a test picture with {check.Engine} in {check.ElapsedMs:0} ms");
                    break;
                case EngineCheckOutcome.Failed:
                    report.Fail($"engine {check.Engine} cannot run in the daemon: {check.Message}", FixFor(check.Message));
                    break;
                default:
                    report.Note($"engine {check.Engine} not run: {check.Message}");
                    break;
            }
        }

        if (checks.Engines.Count == 0)
            report.Fail("no engine is loaded", "reinstall EditorBridge: the 'engines' folder beside the program is missing or empty");
    }

    private static string FixFor(string message) =>
        message.Contains("libgtk-3", StringComparison.Ordinal) || message.Contains("OpenCvSharpExtern", StringComparison.Ordinal)
            ? "OpenCV's native library needs GTK 3: sudo apt-get install libgtk-3-0 (Debian 13: libgtk-3-0t64)"
            : message.Contains("deps.json", StringComparison.Ordinal) || message.Contains("no engine assembly", StringComparison.Ordinal)
                ? "the plugin folder is incomplete: reinstall EditorBridge"
                : "reinstall the plugin, or remove its folder from 'engines'";

    private sealed class DoctorReport(TextWriter output)
    {
        public int Problems { get; private set; }

        public void Pass(string what) => output.WriteLine($"  ok    {what}");

        public void Note(string what) => output.WriteLine($"  note  {what}");

        public void Fail(string what, string fix)
        {
            Problems++;
            output.WriteLine($"  FAIL  {what}");
            output.WriteLine($"        fix: {fix}");
        }
    }
}
