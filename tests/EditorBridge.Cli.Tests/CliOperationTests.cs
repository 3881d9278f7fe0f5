using EditorBridge.Cli.Commands;
using EditorBridge.Cli.Images;
using EditorBridge.Imaging;
using EditorBridge.Testing;

namespace EditorBridge.Cli.Tests;

/// <summary><c>eval</c> and the operation commands besides fill, through the real program.</summary>
public sealed class CliOperationTests : IAsyncLifetime
{
    private RunningDaemon daemon = null!;
    private readonly TempDirectory temp = new("cliop");

    public async Task InitializeAsync() => daemon = await RunningDaemon.StartAsync();

    public async Task DisposeAsync()
    {
        await daemon.DisposeAsync();
        temp.Dispose();
    }

    [Fact]
    public async Task Eval_prints_a_table_of_psnr_and_ssim_matching_scikit_image()
    {
        // the "astronaut shift1" pair of Imaging.Tests' skimage_reference.py: PSNR 27.661456, SSIM 0.861082
        var astronaut = TestPictures.Load("astronaut.png");
        Save("a.png", astronaut.Crop(0, 0, 128, 128));
        Save("b.png", astronaut.Crop(1, 1, 128, 128));

        var run = await CliProcess.RunAsync("eval", temp.File("a.png"), temp.File("b.png"), temp.File("a.png"));

        Assert.True(run.ExitCode == 0, run.Error);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("| picture | PSNR (dB) | SSIM |", lines[1]);
        Assert.Equal($"| {temp.File("b.png")} | 27.66 | 0.8611 |", lines[3]);
        Assert.Equal($"| {temp.File("a.png")} | ∞ | 1.0000 |", lines[4]);
    }

    [Fact]
    public void Eval_measures_inside_a_mask_and_refuses_mismatched_pictures()
    {
        var coffee = TestPictures.Load("coffee.png").Crop(200, 100, 128, 128);
        Save("k.png", coffee);
        Save("g.png", coffee with { Rgba = coffee.Rgba.Select((v, i) => i % 4 == 3 ? v : (byte)(v * v / 255)).ToArray() });
        var mask = new byte[128 * 128 * 4];
        for (int y = 0; y < 128; y++)
            for (int x = 0; x < 128; x++)
                if ((x - 64) * (x - 64) + (y - 60) * (y - 60) <= 900)
                    mask.AsSpan((y * 128 + x) * 4, 4).Fill(255);
        TestPictures.Save(temp.File("m.png"), 128, 128, mask);
        Save("small.png", coffee.Crop(0, 0, 64, 64));

        // "coffee gamma disc" in skimage_reference.py: PSNR 14.977197, SSIM 0.732079
        var table = EvalCommand.Table(temp.File("k.png"), [temp.File("g.png")], temp.File("m.png"));
        Assert.Contains("| 14.98 | 0.7321 |", table);
        Assert.Contains("inside", table);
        Assert.Contains("64x64, the reference is 128x128", Assert.Throws<UsageException>(() => EvalCommand.Table(temp.File("k.png"), [temp.File("small.png")], null)).Message);
        Assert.Contains("no such file", Assert.Throws<UsageException>(() => EvalCommand.Table(temp.File("k.png"), [temp.File("none.png")], null)).Message);
    }

    [Fact]
    public async Task Segment_writes_the_selection_and_restore_can_enlarge()
    {
        var picture = TestPictures.Load("coins.png").Crop(0, 0, 120, 100);
        Save("coins.png", picture);

        var segment = await CliProcess.RunAsync("segment", temp.File("coins.png"), "-p", "x=45", "-p", "y=48", "-o", temp.File("sel.png"), "--state-dir", daemon.StateDirectory, "--no-start");
        var enlarge = await CliProcess.RunAsync("restore", temp.File("coins.png"), "-p", "method=upscale", "-p", "scale=2", "-o", temp.File("big.png"), "--state-dir", daemon.StateDirectory, "--no-start");

        Assert.True(segment.ExitCode == 0, segment.Error);
        var selection = PictureFile.Load(temp.File("sel.png"));
        Assert.Equal(new PixelRect(0, 0, 120, 100), selection.Bounds);
        Assert.Equal(255, selection.Data[(48 * 120 + 45) * 4]);
        Assert.Equal(0, selection.Data[0]);
        Assert.True(enlarge.ExitCode == 0, enlarge.Error);
        Assert.Equal(new PixelRect(0, 0, 240, 200), PictureFile.Load(temp.File("big.png")).Bounds);
        Assert.Contains("restore: classic", enlarge.Out);
    }

    [Fact]
    public async Task Operation_commands_report_bad_extra_pictures_in_one_line()
    {
        Save("p.png", TestPictures.Load("camera.png").Crop(0, 0, 64, 64));
        Save("wide.png", TestPictures.Load("camera.png").Crop(0, 0, 80, 64));

        var run = await CliProcess.RunAsync("colorize", temp.File("p.png"), "--input", $"hints={temp.File("wide.png")}", "-o", temp.File("o.png"), "--state-dir", daemon.StateDirectory, "--no-start");

        Assert.Equal(4, run.ExitCode);
        Assert.Contains("inputs.hints: bounds 80x64@(0,0) reach outside the layer 64x64@(0,0)", Assert.Single(run.ErrorLines));
    }

    private void Save(string name, RgbaPicture picture) => TestPictures.Save(temp.File(name), picture.Width, picture.Height, picture.Rgba);
}
