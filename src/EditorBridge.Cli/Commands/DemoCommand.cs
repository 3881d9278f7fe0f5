using System.CommandLine;
using EditorBridge.Cli.Images;
using EditorBridge.Client;
using EditorBridge.Imaging;
using EditorBridge.LocalState;
using EditorBridge.Protocol.V1;

namespace EditorBridge.Cli.Commands;

/// <summary>
/// <c>editorbridge demo</c>: the main job in one command. Connects to the daemon the way every
/// client does (starting it in the background when none runs, unless --no-start), removes the
/// model rocket from the bundled astronaut photo over gRPC, and prints where the pictures are.
/// </summary>
public static class DemoCommand
{
    /// <summary>The model rocket on the shelf, with a little room around it.</summary>
    public static readonly PixelRect Selection = new(352, 0, 118, 290);

    /// <summary>Not the current folder: running the demo in a clone leaves nothing behind in it.</summary>
    public static string DefaultFolder => Path.Combine(Path.GetTempPath(), "editorbridge-demo");

    public static Command Create()
    {
        var output = new Option<string>("--output", "-o") { Description = "Folder for the demo pictures (default: editorbridge-demo in the temporary folder)", DefaultValueFactory = _ => DefaultFolder };
        var command = new Command("demo", "Start the daemon and fill a selection of a bundled photo (no download)") { output };
        command.SetAction((parse, cancellationToken) => GlobalOptions.Guard(async () =>
        {
            var folder = Directory.CreateDirectory(OutputPath.CheckFolder(parse.GetValue(output)!)).FullName;
            var picture = PictureFile.Load(Path.Combine(AppContext.BaseDirectory, "samples", "astronaut.png"));
            var mask = MaskFile.Rectangle($"{Selection.X},{Selection.Y},{Selection.Width},{Selection.Height}", picture.Bounds);
            var connect = GlobalOptions.Connect(parse);
            var running = RunningDaemon(connect.StateDirectory);
            using var connection = await DaemonConnection.ConnectAsync(connect, cancellationToken);
            var d = connection.Discovery;
            Console.WriteLine(d.Pid == running
                ? $"using the running daemon (pid {d.Pid})"
                : $"started the daemon (pid {d.Pid}): gRPC 127.0.0.1:{d.GrpcPort}, JSON 127.0.0.1:{d.HttpPort}; it keeps running for the next client");
            var request = new JobRequest
            {
                Operation = "fill",
                Layer = PixelWire.ToWire(picture),
                Mask = PixelWire.ToWire(mask),
                Seed = 2026,
                ClientLabel = "CLI demo",
            };
            var result = await JobProgressView.RunAsync(connection.Client, request, cancellationToken);
            var filled = PictureFile.Paste(picture, PixelWire.ToRaster(result.Layer, "result.layer"));
            PictureFile.Save(Path.Combine(folder, "astronaut.png"), picture);
            PictureFile.Save(Path.Combine(folder, "astronaut-filled.png"), filled);
            var p = result.Provenance;
            // a model-backed fill (onnx, once a LaMa model is installed) has no method but a model
            var how = p.Parameters.Fields.TryGetValue("method", out var method) ? method.StringValue : p.Model;
            Console.WriteLine($"filled the rocket ({Selection}) with {p.Engine}/{how} in {p.Timings.TotalMs / 1000:0.00} s");
            Console.WriteLine($"before: {Path.Combine(folder, "astronaut.png")}");
            Console.WriteLine($"result: {Path.Combine(folder, "astronaut-filled.png")}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    // The pid of the daemon the discovery file names, if that process lives (a daemon started by the connection has another).
    private static int? RunningDaemon(string? stateDirectory) =>
        DiscoveryInfo.TryRead(StatePaths.ForCurrentUser(stateDirectory).DiscoveryFile) is { } d && d.ProcessIsAlive() ? d.Pid : null;
}
