using System.CommandLine;
using EditorBridge.Client;
using EditorBridge.Daemon.Plugins;
using EditorBridge.Daemon.Hosting;
using EditorBridge.Engines;
using EditorBridge.LocalState;

namespace EditorBridge.Cli.Commands;

/// <summary>
/// <c>editorbridge doctor</c>: checks what a working install needs and prints a fix for each
/// failure: state folder and token permissions, the daemon answering, engine plugins loading,
/// their native libraries running, execution providers, the model store's models.
/// </summary>
public static class DoctorCommand
{
    public static Command Create()
    {
        var engines = new Option<string?>("--engines-dir") { Description = "Engine folder to check when the daemon is not running" };
        var verifyModels = new Option<bool>("--verify-models") { Description = "Also check every model file's SHA-256 (reads every byte: minutes for big models)" };
        var command = new Command("doctor", "Check the installation and say how to fix what is wrong") { engines, verifyModels };
        command.SetAction((parse, cancellationToken) => GlobalOptions.Guard(async () =>
        {
            var report = new DoctorReport(Console.Out);
            var paths = StatePaths.ForCurrentUser(parse.GetValue(GlobalOptions.StateDirectory));
            CheckFiles(report, paths);
            var (reached, modelsDirectory) = await CheckDaemonAsync(report, paths, cancellationToken);
            if (!reached)
                await CheckEnginesInProcessAsync(report, parse.GetValue(engines) ?? DaemonHost.DefaultEnginesDirectory, cancellationToken);
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

    // Reached: the daemon's process exists (answering or not); the models folder is the one it uses.
    private static async Task<(bool Reached, string? ModelsDirectory)> CheckDaemonAsync(DoctorReport report, StatePaths paths, CancellationToken cancellationToken)
    {
        var discovery = DiscoveryInfo.TryRead(paths.DiscoveryFile);
        if (discovery is null)
        {
            report.Note("the daemon is not running (clients start it on demand; or run 'editorbridge serve')");
            return (false, null);
        }

        if (!discovery.ProcessIsAlive())
        {
            report.Note($"stale discovery file: pid {discovery.Pid} is gone; the next client start replaces it");
            return (false, null);
        }

        try
        {
            using var connection = await DaemonConnection.ConnectAsync(new ConnectOptions { StateDirectory = paths.StateDirectory, AutoStart = false }, cancellationToken);
            var info = await connection.Client.GetInfoAsync(TimeSpan.FromSeconds(10), cancellationToken);
            report.Pass($"daemon {info.Version} answers (pid {info.Pid}, gRPC {discovery.GrpcPort}, JSON {discovery.HttpPort})");
            foreach (var engine in info.Engines)
                report.Pass(engine.Operations.Count == 0
                    ? $"engine {engine.Name} {engine.Version}: loaded; it offers operations once a model for it is installed"
                    : $"engine {engine.Name} {engine.Version}: {string.Join(", ", engine.Operations.Select(o => o.Name))} on {string.Join(", ", engine.Devices)}");
            foreach (var problem in info.PluginProblems)
                report.Fail($"plugin not loaded: {problem.Location}: {problem.Message}", FixFor(problem.Message));
            report.Pass($"execution providers this build's ONNX Runtime runs models on: {string.Join(", ", info.ExecutionProviders)}{CpuOnlyNote(info.ExecutionProviders)}");
            if (info.Engines.Count == 0)
                report.Fail("no engine is loaded", "reinstall EditorBridge: the 'engines' folder beside the program is missing or empty");
            else
                await SmokeTestAsync(report, connection.Client, ModelFreeFillEngine(info), cancellationToken);
            return (true, string.IsNullOrEmpty(info.ModelsDirectory) ? null : info.ModelsDirectory);
        }
        catch (Exception e) when (e is DaemonUnavailableException or Grpc.Core.RpcException)
        {
            report.Fail($"the daemon (pid {discovery.Pid}) does not answer: {e.Message}", "stop that process, then run 'editorbridge serve'");
            return (true, null);
        }
    }

    private static string CpuOnlyNote(IEnumerable<string> providers) =>
        providers.All(p => p == "cpu") ? " (models run on the CPU: slow for diffusion; the CUDA and DirectML builds use a GPU, see docs/diffusion-engine.md)" : "";

    private static async Task CheckEnginesInProcessAsync(DoctorReport report, string directory, CancellationToken cancellationToken)
    {
        var (engines, problems) = EnginePluginLoader.LoadAll(directory);
        foreach (var problem in problems)
            report.Fail($"plugin not loaded: {problem.Location}: {problem.Message}", FixFor(problem.Message));
        foreach (var engine in engines)
            await SmokeTestAsync(report, engine, cancellationToken);
        if (engines.Count == 0)
            report.Fail($"no engine found in {directory}", "reinstall EditorBridge, or pass --engines-dir");
    }

    // A real fill in the running daemon proves its engines' native libraries load there.
    // An engine that fills without a model (classic): a model-backed one could take minutes on the CPU for the test picture.
    private static string ModelFreeFillEngine(Protocol.V1.DaemonInfo info) =>
        info.Engines.FirstOrDefault(e => e.Operations.Any(o => o.Name == "fill" && o.Models.Count == 0))?.Name ?? "";

    private static async Task SmokeTestAsync(DoctorReport report, EditorBridgeClient client, string engine, CancellationToken cancellationToken)
    {
        var (pixels, hole) = TestPicture();
        var request = new Protocol.V1.JobRequest
        {
            Operation = "fill",
            Layer = new Protocol.V1.Image { Width = 16, Height = 16, Format = Protocol.V1.PixelFormat.Rgba8, Data = Google.Protobuf.ByteString.CopyFrom(pixels) },
            Mask = new Protocol.V1.Mask { Width = 16, Height = 16, Coverage = Google.Protobuf.ByteString.CopyFrom(hole) },
            ClientLabel = "doctor",
            Engine = engine,
        };
        try
        {
            var result = await client.RunJobAsync(request, cancellationToken: cancellationToken, timeout: TimeSpan.FromSeconds(30));
            report.Pass($"the daemon filled a test picture with {result.Provenance.Engine} in {result.Provenance.Timings.TotalMs:0} ms");
        }
        catch (Grpc.Core.RpcException e)
        {
            report.Fail($"the daemon cannot fill: {e.Status.Detail}", FixFor(e.Status.Detail));
        }
    }

    private static (byte[] Pixels, byte[] Hole) TestPicture() => (
        Enumerable.Range(0, 16 * 16 * 4).Select(i => (byte)(i * 7)).ToArray(),
        Enumerable.Range(0, 16 * 16).Select(i => (byte)(i % 16 is >= 6 and < 10 && i / 16 is >= 6 and < 10 ? 255 : 0)).ToArray());

    // A real 16x16 fill proves that the engine's native libraries load and run here.
    private static async Task SmokeTestAsync(DoctorReport report, LoadedEngine engine, CancellationToken cancellationToken)
    {
        var fill = engine.Operation("fill");
        if (fill is null)
        {
            report.Pass($"engine {engine.Name} loaded from {engine.Location}");
            return;
        }

        try
        {
            var (pixels, hole) = TestPicture();
            var parameters = fill.Parameters.ToDictionary(p => p.Name, p => p.Default);
            var request = new EngineRequest("fill", new EngineImage(16, 16, pixels), new EngineMask(16, 16, hole), parameters, 1, "", "");
            await engine.Engine.RunAsync(request, new Progress<EngineProgress>(), cancellationToken);
            report.Pass($"engine {engine.Name} loaded from {engine.Location} and filled a test picture");
        }
        catch (Exception e)
        {
            report.Fail($"engine {engine.Name} cannot run: {e.GetType().Name}: {e.Message}", FixFor(e.ToString()));
        }
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
