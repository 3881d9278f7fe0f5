using System.CommandLine;
using EditorBridge.Cli.Images;
using EditorBridge.Client;
using EditorBridge.Daemon.Core;
using EditorBridge.Daemon.Hosting;
using EditorBridge.Imaging;
using EditorBridge.LocalState;
using EditorBridge.Protocol.V1;
using Microsoft.Extensions.Logging;

namespace EditorBridge.Cli.Commands;

/// <summary>
/// <c>editorbridge demo</c>: the main job in one command. Starts the daemon (or uses the running
/// one), removes the model rocket from the bundled astronaut photo with the classic engine over
/// gRPC, and prints where the pictures are.
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
            var stateDirectory = parse.GetValue(GlobalOptions.StateDirectory);
            await using var host = await StartOrReuseAsync(stateDirectory, cancellationToken);
            using var connection = await DaemonConnection.ConnectAsync(new ConnectOptions { StateDirectory = stateDirectory, AutoStart = false }, cancellationToken);
            Console.WriteLine(host is null
                ? $"using the running daemon (pid {connection.Discovery.Pid})"
                : $"started the daemon: gRPC 127.0.0.1:{host.Discovery.GrpcPort}, JSON 127.0.0.1:{host.Discovery.HttpPort}");
            var request = new JobRequest
            {
                Operation = "fill",
                Layer = FillCommand.WireImage(picture),
                Mask = FillCommand.WireMask(mask),
                Seed = 2026,
                ClientLabel = "CLI demo",
            };
            var result = await JobProgressView.RunAsync(connection.Client, request, cancellationToken);
            var filled = PictureFile.Paste(picture, FillCommand.FromWire(result.Layer));
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

    private static async Task<DaemonHost?> StartOrReuseAsync(string? stateDirectory, CancellationToken cancellationToken)
    {
        try
        {
            return await DaemonHost.StartAsync(new DaemonOptions { StateDirectory = stateDirectory }, logging: l => l.SetMinimumLevel(LogLevel.Warning), cancellationToken: cancellationToken);
        }
        catch (DaemonAlreadyRunningException)
        {
            return null;
        }
    }
}
