using System.CommandLine;
using System.Globalization;
using EditorBridge.Cli.Images;
using EditorBridge.Client;
using EditorBridge.Imaging;
using EditorBridge.Protocol.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Spectre.Console;

namespace EditorBridge.Cli.Commands;

/// <summary><c>editorbridge fill IN --mask MASK | --rect x,y,w,h | --extend l,t,r,b -o OUT</c>.</summary>
public static class FillCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "Picture to fill (PNG, JPEG, …)" };
        var mask = new Option<string?>("--mask", "-m") { Description = "Selection picture of the same size: white = fill, grey = soft edge" };
        var rect = new Option<string?>("--rect", "-r") { Description = "Selection rectangle x,y,width,height (instead of --mask)" };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the filled picture", Required = true };
        var layerOut = new Option<string?>("--layer-out") { Description = "Also write the result layer alone (the selection's bounding box)" };
        var method = new Option<string?>("--method") { Description = "Fill method (see 'editorbridge info'), e.g. auto, telea, ns, exemplar" };
        var extend = new Option<string?>("--extend") { Description = "Outpaint: grow the picture by left,top,right,bottom pixels and fill the new canvas from the picture (with --mask/--rect too, both are filled)" };
        var job = new JobOptions();
        var command = new Command("fill", "Fill a selection of a picture from its surroundings (or, with a model, from --prompt)")
        {
            input, mask, rect, output, layerOut, method, extend,
        };
        job.AddTo(command);
        command.SetAction((parse, cancellationToken) => GlobalOptions.Guard(async () =>
        {
            var outputPath = OutputPath.Check(parse.GetValue(output)!);
            var layerPath = parse.GetValue(layerOut) is { } l ? OutputPath.Check(l, "--layer-out") : null;
            var source = PictureInput.Open(parse.GetValue(input)!);
            var extension = parse.GetValue(extend) is { } e ? CanvasExtension.Parse(e) : null;
            var maskSource = SelectionSource(parse.GetValue(mask), parse.GetValue(rect));
            if (maskSource is null && extension is null)
                throw new UsageException("say what to fill: --mask MASK.png, --rect x,y,width,height or --extend left,top,right,bottom");
            maskSource?.CheckedAgainst(source);
            var (connection, info) = await JobRun.ConnectAsync(parse, source, [maskSource?.File], cancellationToken);
            using var owned = connection;
            var picture = source.Load();
            var selection = maskSource?.Read(picture.Bounds);
            if (extension is not null)
                selection = extension.Selection(picture.Bounds, selection);
            var request = new JobRequest
            {
                Operation = "fill",
                Geometry = new GeometryOptions(),
            };
            if (extension is not null)
                request.Geometry.Outpaint = true;
            job.Apply(parse, request, parse.GetValue(method));
            // a remote daemon gets only the part of the picture the fill needs (selection + context, by the daemon's own rule); an outpaint sends it all
            var sent = connection.IsRemote && extension is null ? await RemoteCrop.AreaAsync(connection.Client, request, picture.Bounds, selection!, cancellationToken) : picture.Bounds;
            request.Layer = PixelWire.ToWire(sent == picture.Bounds ? picture : picture.Crop(sent));
            request.Mask = PixelWire.ToWire(sent == picture.Bounds ? selection! : selection!.CropTo(sent));
            request.ClientLabel = $"CLI: {Path.GetFileName(source.Path)}";

            var result = await JobProgressView.RunAsync(connection.Client, request, cancellationToken);
            var layer = PixelWire.ToRaster(result.Layer, "result.layer");
            var canvas = extension is null ? picture : picture.Extend(extension.Around(picture.Bounds));
            PictureFile.Save(outputPath, PictureFile.Paste(canvas, layer));
            if (layerPath is not null)
                PictureFile.Save(layerPath, new Raster(layer.Bounds with { X = 0, Y = 0 }, layer.Format, layer.Data));
            var p = result.Provenance;
            JobRun.NoteIgnoredPrompt(job.PromptsGiven(parse), p, info, Console.Error);
            var usedMethod = p.Parameters.Fields.TryGetValue("method", out var m) ? m.StringValue : null;
            Console.WriteLine($"filled {layer.Bounds} with {ServedBy.Describe(p, usedMethod)} in {p.Timings.TotalMs / 1000:0.00} s, seed {p.Seed} -> {outputPath}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>A selection named on the command line: a mask picture (its header read, its pixels later) or a rectangle.</summary>
    public sealed record Selection(PictureInput? File, string? Rect)
    {
        /// <summary>Checks it against the picture's header size: the mask's size, or the rectangle inside it.</summary>
        public Selection CheckedAgainst(PictureInput picture)
        {
            var bounds = new PixelRect(0, 0, picture.Width, picture.Height);
            if (File is not null)
                MaskFile.CheckSize(File, bounds);
            else
                MaskFile.ParseRectangle(Rect!, bounds);
            return this;
        }

        public SelectionMask Read(PixelRect picture) => File is not null ? MaskFile.Load(File, picture) : MaskFile.Rectangle(Rect!, picture);
    }

    /// <summary>The selection from --mask or --rect; null when neither is given.</summary>
    public static Selection? SelectionSource(string? maskPath, string? rect) => (maskPath, rect) switch
    {
        (not null, not null) => throw new UsageException("give either --mask or --rect, not both"),
        (not null, null) => new Selection(PictureInput.Open(maskPath, PictureLimits.MaskRole), null),
        (null, not null) => new Selection(null, rect),
        _ => null,
    };

    /// <summary>Applies --seed, --grow and --feather where given.</summary>
    public static void SeedAndGeometry(JobRequest request, ulong? seed, int? grow, int? feather)
    {
        if (seed is { } s)
            request.Seed = s;
        request.Geometry ??= new GeometryOptions();
        if (grow is { } g)
            request.Geometry.GrowPixels = g;
        if (feather is { } f)
            request.Geometry.FeatherPixels = f;
    }

    /// <summary>"name=value" pairs: numbers and true/false keep their type, the rest is text.</summary>
    public static Struct Parameters(IEnumerable<string> pairs, string? method)
    {
        var result = new Struct();
        foreach (var pair in pairs)
        {
            var at = pair.IndexOf('=');
            if (at <= 0)
                throw new UsageException($"--param '{pair}': expected name=value");
            var (name, text) = (pair[..at].Trim(), pair[(at + 1)..].Trim());
            result.Fields[name] = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? Value.ForNumber(number)
                : bool.TryParse(text, out var flag) ? Value.ForBool(flag)
                : Value.ForString(text);
        }

        if (method is not null)
            result.Fields["method"] = Value.ForString(method);
        return result;
    }
}
