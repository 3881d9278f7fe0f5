using System.Diagnostics;
using System.Security.Cryptography;
using EditorBridge.ModelStore.Ncnn;
using EditorBridge.Testing;
using Xunit.Abstractions;

namespace EditorBridge.Engines.Onnx.Tests.Ncnn;

/// <summary>
/// The converter against the reference programs shipped in the package (nihui's *-ncnn-vulkan, run on
/// the CPU through Mesa's llvmpipe Vulkan driver), one model per family on a 40² crop of a real photo.
/// The programs compute in float16 on this driver and round with +0.5 before rounding again, so 8-bit
/// answers differ by a few levels; in very dark regions llvmpipe's answer is garbage, so pixels whose
/// reference is darker than 24 (of 255, any channel) are left out. Tolerance: mean difference at most
/// 0.5 levels and 99% of values within 2 levels (measured: 0.07–0.16 and 1); a broken converter fails it. The programs' answers
/// are kept in the test cache (they take seconds each). Real-ESRGAN pads its tiles itself (by
/// repeating edges, where the graph pads with zeros), so only the interior 12 input pixels in from
/// the edge is compared.
/// </summary>
public sealed class ReferenceProgramTests(ITestOutputHelper output)
{
    private const int Side = 40;
    private const int Dark = 24;

    public static TheoryData<string, string, int> Cases => new()
    {
        { "real-esrgan/realesrgan-ncnn-vulkan|-m|models|-n|realesr-animevideov3|-s|2", "real-esrgan/models/realesr-animevideov3-x2.param", 12 },
        { "real-cugan/realcugan-ncnn-vulkan|-m|models-se|-n|-1|-s|2", "real-cugan/models-se/up2x-conservative.param", 0 },
        { "waifu2x/waifu2x-ncnn-vulkan|-m|models-cunet|-n|1|-s|2", "waifu2x/models-cunet/noise1_scale2.0x_model.param", 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_converted_model_agrees_with_the_reference_program(string program, string model, int margin)
    {
        var input = TestPictures.Load("chelsea.png").Crop(120, 60, Side, Side);
        var reference = ReferenceAnswer(program, input);
        var ours = Converted(model, input, NcnnFault.None);

        var (mean, p99) = Agreement(reference, ours, Side * 2, margin * 2);
        output.WriteLine($"{model}: mean |Δ| {mean:F2} levels, 99th percentile {p99} levels");
        Assert.True(mean <= 0.5 && p99 <= 2, $"{model}: mean |Δ| {mean:F2}, 99th percentile {p99} levels");

        var (brokenMean, brokenP99) = Agreement(reference, Converted(model, input, NcnnFault.TransposedKernel), Side * 2, margin * 2);
        Assert.False(brokenMean <= 0.5 && brokenP99 <= 2, $"a transposed kernel passed: mean {brokenMean:F2}, p99 {brokenP99}");
    }

    private static byte[] Converted(string model, RgbaPicture input, NcnnFault fault)
    {
        var path = NcnnPackage.Param(model);
        var converted = NcnnToOnnx.Convert(NcnnParam.Parse(File.ReadAllText(path)), File.ReadAllBytes(Path.ChangeExtension(path, ".bin")), NcnnFamily.Of(path).Rules, "test", fault);
        var blob = NcnnOracleTests.RunOnnx(converted.Onnx, NcnnOracleTests.Crop(input, 0, 0, Side));
        var rgb = new byte[blob.H * blob.W * 3];
        for (int p = 0; p < blob.H * blob.W; p++)
            for (int c = 0; c < 3; c++)
                rgb[p * 3 + c] = (byte)Math.Clamp(Math.Round(blob.Data[c * blob.H * blob.W + p] * 255), 0, 255);
        return rgb;
    }

    /// <summary>Mean and 99th percentile of |Δ| over channels of pixels at least <paramref name="margin"/> in from the edge and not dark in the reference.</summary>
    private static (double Mean, int P99) Agreement(byte[] reference, byte[] ours, int side, int margin)
    {
        var differences = new List<int>();
        for (int y = margin; y < side - margin; y++)
            for (int x = margin; x < side - margin; x++)
            {
                int p = (y * side + x) * 3;
                if (reference[p] < Dark || reference[p + 1] < Dark || reference[p + 2] < Dark)
                    continue;
                for (int c = 0; c < 3; c++)
                    differences.Add(Math.Abs(reference[p + c] - ours[p + c]));
            }

        differences.Sort();
        return (differences.Average(), differences[(int)(differences.Count * 0.99)]);
    }

    /// <summary>The program's answer as RGB bytes, from the cache or by running it once.</summary>
    private static byte[] ReferenceAnswer(string program, RgbaPicture input)
    {
        var parts = program.Split('|');
        var folder = Path.Combine(NcnnPackage.CacheDirectory, "reference-answers");
        Directory.CreateDirectory(folder);
        var key = Convert.ToHexStringLower(SHA256.HashData([.. System.Text.Encoding.UTF8.GetBytes(program), .. input.Rgba]))[..16];
        var answer = Path.Combine(folder, key + ".png");
        if (!File.Exists(answer))
        {
            var inputPath = Path.Combine(folder, key + "-in.png");
            TestPictures.Save(inputPath, input.Width, input.Height, input.Rgba);
            var executable = NcnnPackage.Param(parts[0]);
            var start = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = Path.GetDirectoryName(executable)! };
            foreach (var a in new[] { "-i", inputPath, "-o", answer + ".tmp.png" }.Concat(parts[1..]))
                start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), $"{parts[0]} did not finish");
            Assert.True(process.ExitCode == 0 && File.Exists(answer + ".tmp.png"), $"{parts[0]} failed ({process.ExitCode}): {error.Result} (tests/prerequisites.sh installs mesa-vulkan-drivers libvulkan1 libgomp1)");
            File.Move(answer + ".tmp.png", answer);
        }

        var rgba = TestPictures.Load(answer).Rgba;
        var rgb = new byte[rgba.Length / 4 * 3];
        for (int p = 0; p < rgba.Length / 4; p++)
            for (int c = 0; c < 3; c++)
                rgb[p * 3 + c] = rgba[p * 4 + c];
        return rgb;
    }
}
