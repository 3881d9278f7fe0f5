using System.CommandLine;
using EditorBridge.Cli.Images;
using EditorBridge.Client;
using EditorBridge.Imaging;
using EditorBridge.Protocol.V1;

namespace EditorBridge.Cli.Commands;

/// <summary>
/// <c>editorbridge generate "PROMPT" -o OUT [--width W --height H] [--negative ...] [--model NAME]
/// [--seed N] [-p steps=20 ...]</c>: a new picture from a prompt. The request is the "generate"
/// operation on a transparent layer of the wanted size (the diffusion engine paints the whole layer).
/// </summary>
public static class GenerateCommand
{
    public const string Operation = "generate";
    public const int DefaultSide = 512;

    public static Command Create()
    {
        var prompt = new Argument<string>("prompt") { Description = "What to paint, e.g. \"a lighthouse in a storm, oil painting\"" };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the picture", Required = true };
        var width = new Option<int>("--width") { Description = "Width in pixels (a multiple of 8 suits the models)", DefaultValueFactory = _ => DefaultSide };
        var height = new Option<int>("--height") { Description = "Height in pixels", DefaultValueFactory = _ => DefaultSide };
        var job = new JobOptions(selection: false, withPrompt: false);
        var command = new Command(Operation, "Paint a new picture from a prompt (needs a diffusion model: see 'editorbridge models catalog')")
        {
            prompt, output, width, height,
        };
        job.AddTo(command);
        command.SetAction((parse, cancellationToken) => GlobalOptions.Guard(async () =>
        {
            var path = OutputPath.Check(parse.GetValue(output)!);
            var request = new JobRequest
            {
                Operation = Operation,
                Layer = PixelWire.ToWire(BlankLayer(parse.GetValue(width), parse.GetValue(height))),
                Prompt = parse.GetValue(prompt)!,
                ClientLabel = "CLI: generate",
            };
            job.Apply(parse, request);

            using var connection = await DaemonConnection.ConnectAsync(GlobalOptions.Connect(parse), cancellationToken);
            var info = await connection.Client.GetInfoAsync(TimeSpan.FromSeconds(10), cancellationToken);
            if (!info.OperationRoutes.Any(r => r.Operation == Operation))
            {
                Console.Error.WriteLine($"editorbridge: error: {NoEngineMessage}");
                return ExitCodes.Refused;
            }

            var result = await JobProgressView.RunAsync(connection.Client, request, cancellationToken);
            var layer = PixelWire.ToRaster(result.Layer, "result.layer");
            PictureFile.Save(path, new Raster(layer.Bounds with { X = 0, Y = 0 }, layer.Format, layer.Data));
            var p = result.Provenance;
            Console.WriteLine($"generated {layer.Bounds.Width}x{layer.Bounds.Height} with {ServedBy.Describe(p)} in {p.Timings.TotalMs / 1000:0.00} s, seed {p.Seed} -> {path}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    public const string NoEngineMessage =
        "no installed engine offers 'generate': it needs a diffusion model; see 'editorbridge models catalog', then 'editorbridge models pull sd15-onnx --accept-licence', or install a folder you have with 'editorbridge models import DIR'";

    // The daemon's own limits (GetInfo's max_side, max_pixels) refuse less; this only keeps the CLI's buffer sane.
    public const int MaxSide = 16384;

    /// <summary>A fully transparent RGBA8 layer; a side outside 1..<see cref="MaxSide"/> is a usage error naming the option.</summary>
    public static Raster BlankLayer(int width, int height)
    {
        if (width is < 1 or > MaxSide)
            throw new UsageException($"--width {width}: must be 1..{MaxSide} pixels");
        if (height is < 1 or > MaxSide)
            throw new UsageException($"--height {height}: must be 1..{MaxSide} pixels");
        return new Raster(new PixelRect(0, 0, width, height), Imaging.PixelFormat.Rgba8, new byte[width * height * 4]);
    }
}
