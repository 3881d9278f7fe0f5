using EditorBridge.Cli.Images;
using EditorBridge.Imaging;
using EditorBridge.Testing;

namespace EditorBridge.Cli.Tests;

/// <summary>The real program against the real daemon: results on disk, one clear line and an exit code on failure.</summary>
public sealed class CliCommandTests : IAsyncLifetime
{
    private RunningDaemon daemon = null!;
    private readonly TempDirectory temp = new("cli");

    public async Task InitializeAsync() => daemon = await RunningDaemon.StartAsync();

    public async Task DisposeAsync()
    {
        await daemon.DisposeAsync();
        temp.Dispose();
    }

    [Fact]
    public async Task Fill_writes_the_picture_with_only_the_rectangle_changed()
    {
        var input = TestPictures.PathOf("coffee.png");
        var output = temp.File("filled.png");

        var run = await CliProcess.RunAsync("fill", input, "--rect", "200,100,40,30", "-o", output, "--grow", "0", "--method", "telea", "--state-dir", daemon.StateDirectory, "--no-start");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("filled 40x30@(200,100) with classic/telea", run.Out);
        var before = PictureFile.Load(input);
        var after = PictureFile.Load(output);
        Assert.Equal(before.Bounds, after.Bounds);
        int changed = 0;
        for (int p = 0; p < before.Bounds.Area; p++)
        {
            int x = p % before.Bounds.Width, y = p / before.Bounds.Width;
            bool same = before.Data.AsSpan(p * 4, 4).SequenceEqual(after.Data.AsSpan(p * 4, 4));
            bool inside = x >= 200 && x < 240 && y >= 100 && y < 130;
            if (!inside)
                Assert.True(same, $"pixel {x},{y} outside the rectangle changed");
            else if (!same)
                changed++;
        }

        Assert.True(changed > 600, $"only {changed} of 1200 selected pixels changed");
    }

    [Fact]
    public async Task Fill_takes_a_mask_picture()
    {
        var picture = TestPictures.Load("camera.png");
        var mask = new byte[picture.Width * picture.Height * 4];
        for (int y = 300; y < 320; y++)
            for (int x = 100; x < 140; x++)
                mask.AsSpan((y * picture.Width + x) * 4, 4).Fill(255);
        TestPictures.Save(temp.File("mask.png"), picture.Width, picture.Height, mask);

        var run = await CliProcess.RunAsync("fill", TestPictures.PathOf("camera.png"), "-m", temp.File("mask.png"), "-o", temp.File("out.png"), "--grow", "0", "--state-dir", daemon.StateDirectory, "--no-start");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("filled 40x20@(100,300)", run.Out);
    }

    [Fact]
    public async Task Fill_extend_grows_the_picture_by_exactly_the_extension_and_fills_it()
    {
        var truth = PictureFile.Load(TestPictures.PathOf("coffee.png"));
        var cropped = truth.Crop(new PixelRect(20, 16, 560, 368));
        var input = temp.File("cropped.png");
        PictureFile.Save(input, new Raster(cropped.Bounds with { X = 0, Y = 0 }, cropped.Format, cropped.Data));
        var output = temp.File("extended.png");

        var run = await CliProcess.RunAsync("fill", input, "--extend", "20,16,20,16", "--method", "telea", "-o", output, "--state-dir", daemon.StateDirectory, "--no-start");

        Assert.True(run.ExitCode == 0, run.Error);
        var after = PictureFile.Load(output);
        Assert.Equal(new PixelRect(0, 0, 600, 400), after.Bounds); // 560 + 20 + 20 by 368 + 16 + 16
        int changedInside = 0, notOpaque = 0;
        for (int y = 0; y < 400; y++)
            for (int x = 0; x < 600; x++)
            {
                int p = (y * 600 + x) * 4;
                bool old = x >= 20 && x < 580 && y >= 16 && y < 384;
                if (old && x >= 24 && x < 576 && y >= 20 && y < 380)
                    changedInside += after.Data.AsSpan(p, 4).SequenceEqual(cropped.Data.AsSpan(((y - 16) * 560 + x - 20) * 4, 4)) ? 0 : 1;
                else if (!old && after.Data[p + 3] != 255)
                    notOpaque++;
            }

        Assert.Equal(0, changedInside); // the picture stays bit-exact beyond the 4-pixel grown band
        Assert.Equal(0, notOpaque);
        // the new border continues the picture's: per-row colour of the right band against the true photo
        var result = new RgbaPicture(600, 400, after.Data);
        var real = new RgbaPicture(600, 400, truth.Data);
        var layer = new RgbaPicture(560, 368, cropped.Data);
        double error = OutpaintCheck.RowMeanError(result, 580, real, 580, 20), flat = OutpaintCheck.FlatFillError(layer, real, 580, 20);
        Assert.True(error < 0.6 * flat, $"right band: {error:0.0} levels from the photo, a flat fill {flat:0.0}");
        Assert.Contains("filled", run.Out);
    }

    public static TheoryData<string[], int, string> Failures => new()
    {
        { ["fill", "/nonexistent/x.png", "--rect", "1,1,2,2", "-o", "o.png"], 2, "file not found" },
        { ["fill", "PHOTO", "--rect", "500,500,100,100", "-o", "o.png"], 2, "--rect 100x100@(500,500): must be non-empty and inside the picture 600x400@(0,0)" },
        { ["fill", "PHOTO", "--rect", "a,b", "-o", "o.png"], 2, "expected x,y,width,height" },
        { ["fill", "PHOTO", "-o", "o.png"], 2, "say what to fill" },
        { ["fill", "PHOTO", "--extend", "0,0,0,0", "-o", "o.png"], 2, "--extend '0,0,0,0': every side is 0" },
        { ["fill", "PHOTO", "--extend", "10,-2,0,0", "-o", "o.png"], 2, "--extend '10,-2,0,0': expected left,top,right,bottom" },
        { ["fill", "PHOTO", "--extend", "0,0,16000,0", "-o", "o.png"], 4, "mask.width: 16600 pixels is over the limit of 16384" },
        { ["fill", "PHOTO", "--rect", "1,1,2,2", "-o", "o.png", "--method", "magic"], 4, "invalid request: parameters.method: 'magic' is not one of" },
        { ["fill", "PHOTO", "--rect", "1,1,2,2", "-o", "o.png", "-p", "radius=NaN"], 4, "parameters.radius: NaN is not a finite number" },
        { ["fill", "PHOTO", "--rect", "1,1,2,2", "-o", "o.png", "--grow", "9999"], 4, "geometry.grow_pixels: 9999 is outside 0..256" },
        { ["fill", "PHOTO", "--rect", "1,1,2,2", "-o", "o.png", "--engine", "nope"], 4, "not found: engine: 'nope' is not installed" },
        { ["fill", "PHOTO", "--rect", "1,1,2,2"], 2, "Option '--output' is required" },
        { ["cancel", "job-unknown"], 4, "not found: job_id: no job 'job-unknown'" },
        { ["generate", "a boat", "-o", "o.png"], 4, "no installed engine offers 'generate': it needs a diffusion model; see 'editorbridge models catalog', then 'editorbridge models pull sd15-onnx --accept-licence', or install a folder you have with 'editorbridge models import DIR'" },
        { ["generate", "a boat", "-o", "o.png", "--width", "0"], 2, "--width 0: must be 1..16384 pixels" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Failures_are_one_clear_line_and_an_exit_code(string[] args, int exitCode, string message)
    {
        var full = args.Select(a => a == "PHOTO" ? TestPictures.PathOf("coffee.png") : a == "o.png" ? temp.File("o.png") : a)
            .Concat(["--state-dir", daemon.StateDirectory, "--no-start"]).ToArray();

        var run = await CliProcess.RunAsync(full);

        Assert.Equal(exitCode, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("editorbridge: error: ", line);
        Assert.Contains(message, line);
        Assert.False(File.Exists(temp.File("o.png")), "a failed fill must not write its output");
    }

    [Fact]
    public async Task An_empty_mask_is_refused_by_the_daemon()
    {
        TestPictures.Save(temp.File("empty.png"), 600, 400, new byte[600 * 400 * 4]);
        var run = await CliProcess.RunAsync("fill", TestPictures.PathOf("coffee.png"), "-m", temp.File("empty.png"), "-o", temp.File("o.png"), "--state-dir", daemon.StateDirectory, "--no-start");
        Assert.Equal(ExitCodes.Refused, run.ExitCode);
        Assert.Contains("mask: the selection is empty", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Without_a_daemon_and_with_no_start_the_exit_code_says_unavailable()
    {
        using var empty = new TempDirectory("nostate");
        var run = await CliProcess.RunAsync("info", "--state-dir", empty.Path, "--no-start");
        Assert.Equal(ExitCodes.DaemonUnavailable, run.ExitCode);
        Assert.Contains("no EditorBridge daemon is running", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Info_and_doctor_report_the_running_daemon()
    {
        var info = await CliProcess.RunAsync("info", "--json", "--state-dir", daemon.StateDirectory, "--no-start");
        Assert.True(info.ExitCode == 0, info.Error);
        Assert.Contains("\"name\": \"classic\"", info.Out);

        var doctor = await CliProcess.RunAsync("doctor", "--state-dir", daemon.StateDirectory);
        Assert.True(doctor.ExitCode == 0, doctor.Out + doctor.Error);
        Assert.Contains("ok    token file readable by this user only", doctor.Out);
        Assert.Contains("ok    engine classic", doctor.Out);
        Assert.Contains("ok    the daemon filled a test picture with classic", doctor.Out);
    }

    [Fact]
    public async Task Doctor_starts_the_daemon_and_names_a_broken_plugin_in_its_extra_engines_folder_with_the_fix()
    {
        using var state = new TempDirectory("doc");
        using var engines = new TempDirectory("eng");
        Directory.CreateDirectory(Path.Combine(engines.Path, "half-installed"));
        using var started = new AutoStartedDaemon(Path.Combine(state.Path, "s"));
        var environment = new Dictionary<string, string>(EmptyModelStore(state)) { ["EDITORBRIDGE_ExtraEnginesDirectory"] = engines.Path };

        var doctor = await CliProcess.RunAsync(environment, "doctor", "--state-dir", Path.Combine(state.Path, "s"));

        Assert.Equal(ExitCodes.DoctorFoundProblems, doctor.ExitCode);
        Assert.Contains("note  the daemon was not running: started it", doctor.Out);
        Assert.Contains($"FAIL  plugin not loaded: {Path.Combine(engines.Path, "half-installed")}: no engine assembly", doctor.Out);
        Assert.Contains("fix: the plugin folder is incomplete: reinstall EditorBridge", doctor.Out);
        // the bundled engines still ran in the daemon
        Assert.Contains("ok    the daemon filled a test picture with classic", doctor.Out);
        Assert.NotNull(started.Discovery);
    }

    [Fact]
    public async Task Doctor_has_the_daemon_run_its_engines_and_with_no_start_leaves_the_daemon_alone()
    {
        using var state = new TempDirectory("doc");
        var folder = Path.Combine(state.Path, "s");
        using var started = new AutoStartedDaemon(folder);

        var quiet = await CliProcess.RunAsync(EmptyModelStore(state), "doctor", "--state-dir", folder, "--no-start");
        var doctor = await CliProcess.RunAsync(EmptyModelStore(state), "doctor", "--state-dir", folder);

        Assert.True(quiet.ExitCode == 0, quiet.Out);
        Assert.Contains("note  the daemon is not running (--no-start: engines not checked", quiet.Out);
        Assert.DoesNotContain("test picture", quiet.Out);
        Assert.True(doctor.ExitCode == 0, doctor.Out);
        Assert.Contains("ok    engine classic", doctor.Out);
        Assert.Contains("ok    the daemon filled a test picture with classic", doctor.Out);
        Assert.Contains("note  engine onnx not run: offers operations once a model for it is installed", doctor.Out);
    }

    // Without a daemon, doctor checks the user's model store: point it at an empty one, not this machine's.
    private static Dictionary<string, string> EmptyModelStore(TempDirectory state) =>
        new() { ["EDITORBRIDGE_MODELS_DIR"] = Path.Combine(state.Path, "models") };

    [Fact]
    public async Task Demo_starts_the_daemon_as_a_client_does_and_fills_the_bundled_photo()
    {
        using var state = new TempDirectory("demo");
        using var started = new AutoStartedDaemon(Path.Combine(state.Path, "s"));
        var run = await CliProcess.RunAsync(EmptyModelStore(state), "demo", "-o", temp.File("demo"), "--state-dir", Path.Combine(state.Path, "s"));
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        // started as every client starts it: a separate process, still serving after the command
        Assert.Contains("started the daemon (pid ", run.Out);
        Assert.True(started.Discovery?.ProcessIsAlive(), run.Out);
        Assert.NotEqual(0, started.Discovery!.Pid);
        var again = await CliProcess.RunAsync(EmptyModelStore(state), "demo", "-o", temp.File("demo2"), "--state-dir", Path.Combine(state.Path, "s"));
        Assert.Contains($"using the running daemon (pid {started.Discovery.Pid})", again.Out);
        Assert.Contains("with classic/auto", run.Out);
        var before = PictureFile.Load(temp.File("demo/astronaut.png"));
        var after = PictureFile.Load(temp.File("demo/astronaut-filled.png"));
        var outside = new PixelRect(0, 300, 512, 212);
        Assert.Equal(before.Crop(outside).Data, after.Crop(outside).Data);
        Assert.NotEqual(before.Crop(Commands.DemoCommand.Selection).Data, after.Crop(Commands.DemoCommand.Selection).Data);
    }
}
