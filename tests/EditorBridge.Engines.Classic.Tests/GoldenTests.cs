using EditorBridge.Testing;

namespace EditorBridge.Engines.Classic.Tests;

/// <summary>
/// Golden images of the classic operations (tests/data/golden, 48×48 PNGs): a change in what they
/// paint, even one too small for the quality thresholds elsewhere, fails here and is reviewed.
/// After an intended change run <c>bash tests/update-goldens.sh</c> and review the new pictures
/// (the branch rewriting fill will regenerate the fill-* goldens this way).
/// </summary>
public sealed class GoldenTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>
    /// PSNR ≥ 50 dB (an RMS error under 0.8 of a level) and SSIM ≥ 0.999 over the picture. The
    /// engine is deterministic (same request, same machine, same bytes: measured identical run to
    /// run), so this room is only for another CPU or OpenCV build rounding a SIMD path differently
    /// (±1 here and there). Any visible change fails: one level brighter everywhere is 48.1 dB
    /// (the guard below), and a different fill method is far below that.
    /// </summary>
    public static readonly GoldenTolerance Tolerance = new(MinPsnr: 50, MinSsim: 0.999);

    private const int Side = 48;

    public static TheoryData<string> FillMethods => new() { "auto", "telea", "ns", "fsr", "exemplar" };

    [Theory]
    [MemberData(nameof(FillMethods))]
    public void Fill(string method) =>
        Check("fill-" + method, EngineRun.Run("fill", Photo(), Hole(), new() { ["method"] = method }));

    [Fact]
    public void Restore() =>
        Check("restore", EngineRun.Run("restore", Pictures.WithNoise(Photo(), 15, seed: 5)));

    [Fact]
    public void Colorize()
    {
        var (grey, hints) = GreyWithHints(Photo());
        Check("colorize", EngineRun.Run("colorize", grey, inputs: new() { ["hints"] = hints }));
    }

    [Fact]
    public void Stylize() =>
        Check("stylize", EngineRun.Run("stylize", Photo()));

    [Fact]
    public void Guard_one_level_brighter_everywhere_fails_the_golden()
    {
        if (GoldenImages.Updating)
            return;
        var golden = GoldenImages.Read("stylize") ?? throw new InvalidOperationException("no stylize golden: run tests/update-goldens.sh");
        var brighter = (byte[])golden.Rgba.Clone();
        for (int i = 0; i < brighter.Length; i++)
            if (i % 4 != 3)
                brighter[i] = (byte)Math.Min(255, brighter[i] + 1);
        var e = Assert.ThrowsAny<Exception>(() => ImageAssert.MatchesGolden("stylize", golden with { Rgba = brighter }, Tolerance));
        Assert.Contains("differs from golden stylize: PSNR", e.Message);
        Assert.Contains("max |Δ| 1 at (", e.Message);
    }

    private void Check(string name, EngineOutput result)
    {
        var c = ImageAssert.MatchesGolden(name, Pictures.FromImage(result.Image), Tolerance);
        output.WriteLine($"{name}: {c}");
    }

    private static RgbaPicture Photo() => Pictures.Centre("astronaut.png", Side);

    /// <summary>A disc of radius 9 a little off the centre.</summary>
    private static byte[] Hole() => Pictures.Disc(Side, Side, 22, 25, 9);

    /// <summary>The photo in grey, and hints: its own colours on a sparse grid.</summary>
    private static (RgbaPicture Grey, RgbaPicture Hints) GreyWithHints(RgbaPicture photo)
    {
        var grey = (byte[])photo.Rgba.Clone();
        var hints = new byte[grey.Length];
        for (int p = 0; p < Side * Side; p++)
        {
            byte y = (byte)Math.Round(0.299 * grey[p * 4] + 0.587 * grey[p * 4 + 1] + 0.114 * grey[p * 4 + 2]);
            grey[p * 4] = grey[p * 4 + 1] = grey[p * 4 + 2] = y;
            if (p % Side % 12 == 6 && p / Side % 12 == 6)
                Buffer.BlockCopy(photo.Rgba, p * 4, hints, p * 4, 4);
        }

        return (new RgbaPicture(Side, Side, grey), new RgbaPicture(Side, Side, hints));
    }
}
