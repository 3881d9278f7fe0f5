using EditorBridge.Testing;

namespace EditorBridge.Engines.Classic.Tests;

/// <summary>
/// Every operation reports progress as it goes, and the long steps of own code report fractions:
/// before, Restore, Stylize, Colorize and Select Subject said 0 then 1 (the docker's bar sat at 0
/// for the whole run).
/// </summary>
public sealed class ProgressTests
{
    private sealed class Recorder : IProgress<EngineProgress>
    {
        private readonly List<EngineProgress> _seen = [];

        public void Report(EngineProgress value)
        {
            lock (_seen)
                _seen.Add(value);
        }

        public double[] Fractions()
        {
            lock (_seen)
                return _seen.Select(p => (double)p.Step / p.Total).ToArray();
        }

        public string[] Stages()
        {
            lock (_seen)
                return _seen.Select(p => p.Stage).ToArray();
        }
    }

    private static Recorder Run(string operation, RgbaPicture picture, Dictionary<string, object> parameters)
    {
        var recorder = new Recorder();
        using var engine = new ClassicEngine();
        engine.RunAsync(EngineRun.Request(operation, picture, parameters: parameters), recorder, CancellationToken.None).GetAwaiter().GetResult();
        return recorder;
    }

    /// <summary>At least <paramref name="atLeast"/> reports, never going back, ending at 1; the first where its stage starts (restore's deblurring opens at 45 %).</summary>
    private static void Rises(double[] fractions, int atLeast)
    {
        Assert.True(fractions.Length >= atLeast, $"{fractions.Length} progress reports, expected at least {atLeast}: {string.Join(", ", fractions)}");
        Assert.True(fractions[0] < 0.5, $"the first report is at {fractions[0]}");
        Assert.Equal(1, fractions[^1], 3);
        for (int i = 1; i < fractions.Length; i++)
            Assert.True(fractions[i] >= fractions[i - 1], $"progress went back: {string.Join(", ", fractions)}");
    }

    [Fact]
    public void Deblurring_reports_each_round()
    {
        var blurred = Pictures.Blurred(Pictures.Centre("coffee.png", 64), 2.0);
        var seen = Run("restore", blurred, new() { ["method"] = "deblur", ["blur_sigma"] = 2.0, ["iterations"] = 12 });
        Rises(seen.Fractions(), 12);
        Assert.Contains(seen.Stages(), s => s.StartsWith("deblurring", StringComparison.Ordinal));
    }

    [Fact]
    public void Denoising_reports_between_its_passes()
    {
        var noisy = Pictures.WithNoise(Pictures.Centre("coffee.png", 64), 20, 3);
        var seen = Run("restore", noisy, new() { ["method"] = "denoise", ["noise_sigma"] = 20.0 });
        Rises(seen.Fractions(), 4);
        Assert.Contains(seen.Fractions(), f => f > 0.05 && f < 0.45);
    }

    [Fact]
    public void Select_subject_reports_each_grabcut_round()
    {
        var picture = Pictures.Centre("coffee.png", 64);
        var seen = Run("segment", picture, new() { ["x"] = 8.0, ["y"] = 8.0, ["width"] = 40.0, ["height"] = 40.0, ["iterations"] = 6 });
        Rises(seen.Fractions(), 7);
    }

    [Theory]
    [InlineData("stylize")]
    [InlineData("colorize")]
    public void Stylize_and_colorize_report_between_their_steps(string operation)
    {
        var seen = Run(operation, Pictures.Centre("coffee.png", 64), []);
        Rises(seen.Fractions(), 4);
    }
}
