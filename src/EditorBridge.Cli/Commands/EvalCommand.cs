using System.CommandLine;
using System.Globalization;
using EditorBridge.Cli.Images;
using EditorBridge.Imaging;

namespace EditorBridge.Cli.Commands;

/// <summary>
/// <c>editorbridge eval REFERENCE CANDIDATE... [--mask MASK]</c>: PSNR and SSIM of each candidate
/// against the reference, over the whole picture or inside a mask, as a Markdown table. Works on
/// files alone: no daemon.
/// </summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var reference = new Argument<string>("reference") { Description = "The original picture" };
        var candidates = new Argument<string[]>("candidates") { Description = "Pictures to measure against it (same size)", Arity = ArgumentArity.OneOrMore };
        var mask = new Option<string?>("--mask", "-m") { Description = "Measure only where this picture (same size) is not black, e.g. the filled hole" };
        var command = new Command("eval", "Measure pictures against an original: PSNR and SSIM, whole or inside a mask")
        {
            reference, candidates, mask,
        };
        command.SetAction((parse, _) => GlobalOptions.Guard(() =>
        {
            Console.Write(Table(parse.GetValue(reference)!, parse.GetValue(candidates)!, parse.GetValue(mask)));
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }

    /// <summary>The table <c>eval</c> prints.</summary>
    public static string Table(string referencePath, IReadOnlyList<string> candidatePaths, string? maskPath)
    {
        var original = Load(referencePath);
        byte[]? inside = null;
        if (maskPath is not null)
        {
            var whole = original.Bounds with { X = 0, Y = 0 };
            // the mask comes back trimmed to its selected box: measure over the whole picture
            inside = MaskFile.Load(maskPath, whole).CoverageIn(whole).Select(c => c > 0 ? (byte)1 : (byte)0).ToArray();
            if (!inside.Contains((byte)1))
                throw new UsageException($"{maskPath}: the mask is black everywhere: nothing to measure");
        }

        int width = original.Bounds.Width, height = original.Bounds.Height;
        if (inside is null && (width < 11 || height < 11))
            throw new UsageException($"{referencePath}: {width}x{height} is too small for SSIM's 11x11 window");
        long pixels = inside?.Count(v => v != 0) ?? (long)width * height;
        var text = new System.Text.StringBuilder();
        text.AppendLine(inside is null ? $"{referencePath}: {width}x{height}, whole picture (SSIM: scikit-image's, 11x11 Gaussian window, RGB mean)" : $"{referencePath}: {width}x{height}, inside {maskPath} ({pixels} pixels)");
        text.AppendLine("| picture | PSNR (dB) | SSIM |");
        text.AppendLine("| --- | ---: | ---: |");
        foreach (var path in candidatePaths)
        {
            var candidate = Load(path);
            if (candidate.Bounds.Width != width || candidate.Bounds.Height != height)
                throw new UsageException($"{path}: {candidate.Bounds.Width}x{candidate.Bounds.Height}, the reference is {width}x{height}");
            var a = original.Format == PixelFormat.Rgba8 ? original.Data : original.ToRgba8();
            var b = candidate.Format == PixelFormat.Rgba8 ? candidate.Data : candidate.ToRgba8();
            double psnr = QualityMetrics.Psnr(a, b, inside);
            double ssim = QualityMetrics.Ssim(width, height, a, b, inside);
            string shown = double.IsPositiveInfinity(psnr) ? "∞" : psnr.ToString("0.00", CultureInfo.InvariantCulture);
            text.AppendLine($"| {path} | {shown} | {ssim.ToString("0.0000", CultureInfo.InvariantCulture)} |");
        }

        return text.ToString();
    }

    private static Raster Load(string path) =>
        File.Exists(path) ? PictureFile.Load(path) : throw new UsageException($"{path}: no such file");
}
