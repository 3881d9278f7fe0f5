using EditorBridge.Imaging;
using EditorBridge.Testing;
using OpenCvSharp;

namespace EditorBridge.Engines.Classic.Tests;

public sealed class RestoreTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly string[] Photos = ["astronaut.png", "coffee.png", "chelsea.png"];

    [Fact]
    public void Denoising_beats_opencv_non_local_means_given_the_true_noise_level()
    {
        const double Sigma = 20;
        double ours = 0, opencv = 0, noisyPsnr = 0;
        foreach (var name in Photos)
        {
            var clean = Pictures.Centre(name, 128);
            var noisy = Pictures.WithNoise(clean, Sigma, seed: 7);
            var result = EngineRun.Run("restore", noisy, parameters: new() { ["method"] = "denoise" });
            ours += QualityMetrics.Psnr(clean.Rgba, result.Image.Pixels);
            opencv += QualityMetrics.Psnr(clean.Rgba, OpenCvNlm(noisy, Sigma));
            noisyPsnr += QualityMetrics.Psnr(clean.Rgba, noisy.Rgba);
            Assert.InRange((double)result.ResolvedParameters!["noise_sigma"], Sigma * 0.8, Sigma * 1.2);
        }

        ours /= Photos.Length;
        opencv /= Photos.Length;
        noisyPsnr /= Photos.Length;
        output.WriteLine($"noisy {noisyPsnr:F2} dB, OpenCV {opencv:F2} dB, ours {ours:F2} dB");
        // Measured here (128² crops, σ 20): noisy 22.8 dB, OpenCV (h = hColor = 0.6σ, its best single factor on these photos) 27.2, ours 29.2.
        // A pass that did nothing, or only OpenCV's, fails the first floor; one that blurred everything fails the second.
        Assert.True(ours >= opencv + 0.5, $"ours {ours:F2} dB vs OpenCV {opencv:F2} dB");
        Assert.True(ours >= noisyPsnr + 5, $"ours {ours:F2} dB vs noisy {noisyPsnr:F2} dB");
    }

    [Theory]
    [InlineData(1.5, 0.0)]
    [InlineData(2.5, 0.0)]
    [InlineData(2.5, 2.5)]
    public void Deblurring_gains_at_least_one_and_a_half_decibels(double blur, double given)
    {
        double gain = 0;
        foreach (var name in Photos)
        {
            var sharp = Pictures.Centre(name, 128);
            var blurred = Pictures.Blurred(sharp, blur);
            var result = EngineRun.Run("restore", blurred, parameters: new() { ["method"] = "deblur", ["blur_sigma"] = given });
            gain += QualityMetrics.Psnr(sharp.Rgba, result.Image.Pixels) - QualityMetrics.Psnr(sharp.Rgba, blurred.Rgba);
            if (given == 0)
                Assert.InRange((double)result.ResolvedParameters!["blur_sigma"], blur * 0.75, blur * 1.25);
        }

        output.WriteLine($"mean gain {gain / Photos.Length:F2} dB");
        // The target: ≥ +1.5 dB over the blurred input (measured here on 128² crops: +2.3 to +2.6 dB).
        Assert.True(gain / Photos.Length >= 1.5, $"mean gain {gain / Photos.Length:F2} dB");
    }

    [Fact]
    public void Upscaling_beats_bicubic_and_lanczos_and_keeps_alpha()
    {
        double ours = 0, lanczos = 0, bicubic = 0;
        foreach (var name in Photos)
        {
            var original = Pictures.Centre(name, 128);
            var small = Pictures.Shrunk(original, 2);
            for (int p = 3; p < small.Rgba.Length; p += 4)
                small.Rgba[p] = (byte)(p / 4 % 64 < 32 ? 255 : 128);
            var result = EngineRun.Run("restore", small, parameters: new() { ["method"] = "upscale", ["scale"] = 2 });
            Assert.Equal((128, 128), (result.Image.Width, result.Image.Height));
            ours += QualityMetrics.Psnr(original.Rgba, result.Image.Pixels);
            lanczos += QualityMetrics.Psnr(original.Rgba, Pictures.Resized(small, 128, 128, InterpolationFlags.Lanczos4).Rgba);
            bicubic += QualityMetrics.Psnr(original.Rgba, Pictures.Resized(small, 128, 128, InterpolationFlags.Cubic).Rgba);
            // alpha follows the small picture's: opaque left half of each 64-pixel run, half transparent right
            Assert.Equal(255, result.Image.Pixels[(10 * 128 + 10) * 4 + 3]);
            Assert.Equal(128, result.Image.Pixels[(10 * 128 + 100) * 4 + 3]);
        }

        output.WriteLine($"bicubic {bicubic / 3:F2}, Lanczos {lanczos / 3:F2}, ours {ours / 3:F2} dB");
        // Measured here: bicubic 30.8, Lanczos 31.0, ours 31.2 dB (means over the three photos, 128² crops).
        Assert.True(ours >= lanczos + 0.15, $"ours {ours / 3:F2} dB vs Lanczos {lanczos / 3:F2} dB");
        Assert.True(ours >= bicubic + 0.15, $"ours {ours / 3:F2} dB vs bicubic {bicubic / 3:F2} dB");
    }

    [Fact]
    public void Auto_leaves_a_clean_sharp_photo_alone_and_fixes_a_noisy_one()
    {
        var clean = Pictures.Centre("astronaut.png", 128);
        var untouched = EngineRun.Run("restore", clean);
        Assert.Equal("none", untouched.ResolvedParameters!["method"]);
        Assert.Equal(clean.Rgba, untouched.Image.Pixels);

        var noisy = Pictures.WithNoise(clean, 15, seed: 3);
        var fixedUp = EngineRun.Run("restore", noisy);
        Assert.StartsWith("denoise", (string)fixedUp.ResolvedParameters!["method"]);
        Assert.True(QualityMetrics.Psnr(clean.Rgba, fixedUp.Image.Pixels) > QualityMetrics.Psnr(clean.Rgba, noisy.Rgba) + 4);

        var blurred = Pictures.Blurred(clean, 2.5);
        var sharpened = EngineRun.Run("restore", blurred);
        Assert.Equal("deblur", sharpened.ResolvedParameters!["method"]);
    }

    [Fact]
    public void Alpha_is_kept_exactly()
    {
        var picture = Pictures.WithNoise(Pictures.Centre("coffee.png", 64), 10, seed: 1);
        for (int p = 3; p < picture.Rgba.Length; p += 4)
            picture.Rgba[p] = (byte)(p % 251);

        var result = EngineRun.Run("restore", picture, parameters: new() { ["method"] = "denoise" });

        for (int p = 3; p < picture.Rgba.Length; p += 4)
            Assert.Equal(picture.Rgba[p], result.Image.Pixels[p]);
    }

    [Fact]
    public void Bad_requests_are_refused_naming_the_field()
    {
        var picture = Pictures.Centre("camera.png", 32);
        Assert.Contains("scale 2, 3 or 4", EngineRun.Refusal("scale", "restore", picture, parameters: new() { ["method"] = "upscale" }).Message);
        Assert.Contains("fully transparent", EngineRun.Refusal("layer", "restore", Pictures.Transparent(16, 16)).Message);
    }

    [Theory]
    [InlineData("denoise")]
    [InlineData("deblur")]
    [InlineData("upscale")]
    public void A_cancel_at_a_progress_report_ends_the_run_before_any_more_work(string method)
    {
        var picture = Pictures.WithNoise(Pictures.Centre("astronaut.png", 512), 15, seed: 1);
        var request = EngineRun.Request("restore", picture, parameters: new() { ["method"] = method, ["scale"] = method == "upscale" ? 4 : 1, ["iterations"] = 200, ["blur_sigma"] = 2.0 });

        // cancelled at the report that opens the method's stage: nothing after it is reported, not even "restored"
        Assert.Equal(0, EngineRun.ReportsAfterCancel(request));

        // The product promises 100 ms; generous here because CI machines are noisy.
    }

    // OpenCV's colour NLM with its best single strength factor for these photos (h = hColor = 0.6σ,
    // found by sweeping 0.5..1.2σ with /usr/bin/python3 cv2 4.6 on 256² crops of six test photos).
    private static byte[] OpenCvNlm(RgbaPicture noisy, double sigma)
    {
        using var bgr = RgbaMat.Bgr(EngineRun.Image(noisy));
        using var denoised = new Mat();
        Cv2.FastNlMeansDenoisingColored(bgr, denoised, (float)(0.6 * sigma), (float)(0.6 * sigma), 7, 21);
        return RgbaMat.ToRgba(denoised, EngineRun.Image(noisy));
    }
}
