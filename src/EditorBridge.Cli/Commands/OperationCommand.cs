using System.CommandLine;
using EditorBridge.Cli.Images;
using EditorBridge.Client;
using EditorBridge.Imaging;
using EditorBridge.Protocol.V1;

namespace EditorBridge.Cli.Commands;

/// <summary>
/// The operations besides fill, one command each: <c>editorbridge restore|colorize|stylize|compose|segment
/// IN -o OUT [--mask M | --rect x,y,w,h] [-p name=value]... [--input role=FILE]...</c>. Without a
/// selection they work on the whole picture. <c>segment</c> writes the selection it found as a
/// black-and-white picture; an upscaling restore writes the enlarged picture.
/// </summary>
public static class OperationCommand
{
    public static readonly (string Name, string Description)[] Operations =
    [
        ("restore", "Remove noise, undo blur or enlarge a picture (e.g. -p method=upscale -p scale=2)"),
        ("colorize", "Colour line art or a grey photo from colour hints (--input hints=HINTS.png) or a reference (--input reference=R.png)"),
        ("stylize", "Restyle a picture: -p preset=oil|watercolour|cartoon|pencil, or like --input reference=R.png"),
        ("compose", "Blend a pasted object (--input object=OBJECT.png, transparent around it) into the picture"),
        ("segment", "Select the subject at a point (-p x=.. -p y=..) or in a box (also -p width=.. -p height=..); writes the selection"),
    ];

    public static Command Create(string operation, string description)
    {
        var input = new Argument<string>("input") { Description = "Picture to work on (PNG, JPEG, …)" };
        var output = new Option<string>("--output", "-o") { Description = operation == "segment" ? "Where to write the selection (white = selected)" : "Where to write the result", Required = true };
        var mask = new Option<string?>("--mask", "-m") { Description = "Work inside this selection picture (same size; white = selected)" };
        var rect = new Option<string?>("--rect", "-r") { Description = "Work inside this rectangle x,y,width,height" };
        var inputs = new Option<string[]>("--input", "-i") { Description = "An extra picture role=FILE (same size for hints and object), repeatable", AllowMultipleArgumentsPerToken = false };
        var job = new JobOptions();
        var command = new Command(operation, description) { input, output, mask, rect, inputs };
        job.AddTo(command);
        command.SetAction((parse, cancellationToken) => GlobalOptions.Guard(async () =>
        {
            var path = OutputPath.Check(parse.GetValue(output)!);
            var source = PictureInput.Open(parse.GetValue(input)!);
            var selectionSource = FillCommand.SelectionSource(parse.GetValue(mask), parse.GetValue(rect))?.CheckedAgainst(source);
            var extras = Pairs(parse.GetValue(inputs) ?? []).Select(r => (r.Role, File: PictureInput.Open(r.Path, $"--input {r.Role}"))).ToList();
            var (connection, info) = await JobRun.ConnectAsync(parse, source, extras.Select(e => e.File).Prepend(selectionSource?.File), cancellationToken);
            using var owned = connection;
            var picture = source.Load();
            var request = new JobRequest
            {
                Operation = operation,
                ClientLabel = $"CLI: {Path.GetFileName(source.Path)}",
                Geometry = new GeometryOptions(),
            };
            job.Apply(parse, request);
            var selection = selectionSource?.Read(picture.Bounds);
            // a remote daemon gets only the part the selection needs (layer, selection and canvas-aligned extras cut alike)
            var sent = await RemoteCrop.AreaForAsync(connection, info, request, picture.Bounds, selection, cancellationToken);
            request.Layer = PixelWire.ToWire(sent == picture.Bounds ? picture : picture.Crop(sent));
            if (selection is not null)
                request.Mask = PixelWire.ToWire(sent == picture.Bounds ? selection : selection.CropTo(sent));
            foreach (var (role, file) in extras)
            {
                var extra = file.Load();
                bool cut = sent != picture.Bounds && extra.Bounds == picture.Bounds && RemoteCrop.IsCanvasAligned(info, request, role);
                request.Inputs[role] = PixelWire.ToWire(cut ? extra.Crop(sent) : extra);
            }

            var result = await JobProgressView.RunAsync(connection.Client, request, cancellationToken);
            if (operation == "segment" && result.Mask is not null)
                PictureFile.Save(path, SelectionPicture(result.Mask, picture.Bounds));
            else
            {
                var layer = PixelWire.ToRaster(result.Layer, "result.layer");
                PictureFile.Save(path, picture.Bounds.Contains(layer.Bounds) && layer.Format == picture.Format
                    ? PictureFile.Paste(picture, layer)
                    : new Raster(layer.Bounds with { X = 0, Y = 0 }, layer.Format, layer.Data));
            }

            var p = result.Provenance;
            JobRun.NoteIgnoredPrompt(job.PromptsGiven(parse), p, info, Console.Error);
            var resolved = string.Join(", ", p.Parameters.Fields.Select(kv => $"{kv.Key}={FormatValue(kv.Value)}"));
            Console.WriteLine($"{operation}: {ServedBy.Describe(p)} in {p.Timings.TotalMs / 1000:0.00} s ({resolved}) -> {path}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static IEnumerable<(string Role, string Path)> Pairs(IEnumerable<string> pairs)
    {
        foreach (var pair in pairs)
        {
            int at = pair.IndexOf('=');
            if (at <= 0 || at == pair.Length - 1)
                throw new UsageException($"--input '{pair}': expected role=FILE, e.g. hints=hints.png");
            yield return (pair[..at], pair[(at + 1)..]);
        }
    }

    // The selection as a picture of the whole input: white where selected, grey at soft edges.
    private static Raster SelectionPicture(Mask mask, PixelRect picture)
    {
        var coverage = mask.Coverage.ToByteArray();
        var rgba = new byte[picture.Area * 4];
        for (int p = 0; p < picture.Area; p++)
            rgba[p * 4 + 3] = 255;
        for (int y = 0; y < mask.Height; y++)
            for (int x = 0; x < mask.Width; x++)
            {
                int cx = mask.OffsetX + x - picture.X, cy = mask.OffsetY + y - picture.Y;
                if (cx < 0 || cy < 0 || cx >= picture.Width || cy >= picture.Height)
                    continue;
                byte c = coverage[y * mask.Width + x];
                int o = (cy * picture.Width + cx) * 4;
                rgba[o] = rgba[o + 1] = rgba[o + 2] = c;
            }

        return new Raster(picture with { X = 0, Y = 0 }, Imaging.PixelFormat.Rgba8, rgba);
    }

    /// <summary>A parameter value as the CLI prints it: 3, 0.5, true, auto.</summary>
    public static string FormatValue(Google.Protobuf.WellKnownTypes.Value value) => value.KindCase switch
    {
        Google.Protobuf.WellKnownTypes.Value.KindOneofCase.NumberValue => value.NumberValue.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture),
        Google.Protobuf.WellKnownTypes.Value.KindOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        _ => value.StringValue,
    };
}
