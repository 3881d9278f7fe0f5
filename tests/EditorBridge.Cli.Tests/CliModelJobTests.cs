using EditorBridge.Cli.Images;
using EditorBridge.Imaging;
using EditorBridge.Testing;

namespace EditorBridge.Cli.Tests;

/// <summary><c>generate</c> and <c>fill --prompt --model</c> through the real program, served by the diffusion engine with a tiny model.</summary>
public sealed class CliModelJobTests(TinyDiffusionDaemon fixture) : IClassFixture<TinyDiffusionDaemon>, IDisposable
{
    private readonly TempDirectory temp = new("cli-gen");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Generate_twice_with_one_seed_writes_identical_files_and_names_the_model()
    {
        var first = await Generate("first.png", "a red boat at dusk", "5");
        var again = await Generate("again.png", "a red boat at dusk", "5");
        var otherSeed = await Generate("other.png", "a red boat at dusk", "6");

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.True(otherSeed.ExitCode == 0, otherSeed.Error);
        Assert.Equal(File.ReadAllBytes(temp.File("first.png")), File.ReadAllBytes(temp.File("again.png")));
        Assert.NotEqual(File.ReadAllBytes(temp.File("first.png")), File.ReadAllBytes(temp.File("other.png")));
        Assert.Contains($"generated 64x48 with diffusion, model {TinyDiffusionDaemon.Model} ({fixture.ModelIdentity[..12]}) on cpu", first.Out);
        Assert.Contains("seed 5 ->", first.Out);
        var picture = PictureFile.Load(temp.File("first.png"));
        Assert.Equal(new PixelRect(0, 0, 64, 48), picture.Bounds);
        Assert.True(Enumerable.Range(0, 64 * 48).All(p => picture.Data[p * 4 + 3] == 255), "a generated picture is opaque");
        Assert.True(picture.Data.Where((_, i) => i % 4 != 3).Distinct().Count() > 16, "the generated picture is not a flat colour");
    }

    [Fact]
    public async Task Fill_with_a_prompt_and_a_model_repeats_exactly_changes_only_the_selection_and_follows_the_prompt()
    {
        var input = Photo();
        var first = await Fill("a.png", "a red boat");
        var again = await Fill("b.png", "a red boat");
        var otherPrompt = await Fill("c.png", "green grass, moss and stones");

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.True(otherPrompt.ExitCode == 0, otherPrompt.Error);
        Assert.Contains($"filled 32x24@(16,16) with diffusion, model {TinyDiffusionDaemon.Model} ({fixture.ModelIdentity[..12]}) on cpu", first.Out);
        Assert.Equal(File.ReadAllBytes(temp.File("a.png")), File.ReadAllBytes(temp.File("b.png")));
        Assert.NotEqual(File.ReadAllBytes(temp.File("a.png")), File.ReadAllBytes(temp.File("c.png")));
        var before = PictureFile.Load(input);
        var after = PictureFile.Load(temp.File("a.png"));
        var selection = new PixelRect(16, 16, 32, 24);
        for (int y = 0; y < before.Bounds.Height; y++)
        {
            for (int x = 0; x < before.Bounds.Width; x++)
            {
                if (!selection.Contains(new PixelRect(x, y, 1, 1)))
                    Assert.True(before.Data.AsSpan((y * 64 + x) * 4, 4).SequenceEqual(after.Data.AsSpan((y * 64 + x) * 4, 4)), $"pixel {x},{y} outside the selection changed");
            }
        }

        Assert.NotEqual(before.Crop(selection).Data, after.Crop(selection).Data);
    }

    [Fact]
    public async Task An_operation_command_takes_model_and_prompt_and_names_them()
    {
        var run = await Cli("stylize", Photo(), "-o", temp.File("styled.png"), "--model", TinyDiffusionDaemon.Model, "--prompt", "stormy sky", "--seed", "1", "-p", "steps=4", "-p", "strength=0.5");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains($"stylize: diffusion, model {TinyDiffusionDaemon.Model} ({fixture.ModelIdentity[..12]}) on cpu", run.Out);
        Assert.DoesNotContain("ignores --prompt", run.Error); // a diffusion model paints from the prompt
        Assert.NotEqual(PictureFile.Load(Photo()).Data, PictureFile.Load(temp.File("styled.png")).Data);
    }

    [Fact]
    public async Task An_unknown_model_is_exit_code_4_and_one_line_naming_it()
    {
        var run = await Cli("fill", Photo(), "--rect", "16,16,32,24", "-o", temp.File("o.png"), "--model", "no-such-model", "--prompt", "a boat");

        Assert.Equal(ExitCodes.Refused, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("editorbridge: error: not found: model: model 'no-such-model' cannot serve 'fill'", line);
        Assert.Contains(TinyDiffusionDaemon.Model, line);
        Assert.False(File.Exists(temp.File("o.png")));
    }

    [Fact]
    public async Task Info_lists_the_model_per_operation_and_doctor_checks_the_store()
    {
        var info = await Cli("info");
        var doctor = await Cli("doctor", "--verify-models");

        Assert.True(info.ExitCode == 0, info.Error);
        Assert.Contains(info.Out.Split('\n'), line => line.Contains("generate") && line.Contains(TinyDiffusionDaemon.Model));
        Assert.True(doctor.ExitCode == 0, doctor.Out + doctor.Error);
        Assert.Contains($"ok    model store {fixture.ModelsDirectory}: 1 model(s)", doctor.Out);
        Assert.Contains($"ok    model {TinyDiffusionDaemon.Model}: diffusion, serves generate, fill, restore, stylize, compose; every file matches its SHA-256", doctor.Out);
        Assert.Contains(doctor.Out.Split('\n'), line => line.StartsWith("  ok    execution providers this build's ONNX Runtime runs models on: ") && line.Contains("cpu"));
        // the smoke test is the classic engine's quick fill, not a diffusion run (minutes with a real model on a CPU)
        Assert.Contains("ok    the daemon filled a test picture with classic", doctor.Out);
    }

    private string Photo()
    {
        var path = temp.File("photo.png");
        if (!File.Exists(path))
        {
            var photo = TestPictures.Load("chelsea.png").Crop(40, 20, 64, 56);
            TestPictures.Save(path, photo.Width, photo.Height, photo.Rgba);
        }

        return path;
    }

    private Task<CliProcess.Outcome> Generate(string output, string prompt, string seed) =>
        Cli("generate", prompt, "-o", temp.File(output), "--width", "64", "--height", "48", "--seed", seed, "--negative", "blurry",
            "--model", TinyDiffusionDaemon.Model, "-p", "steps=3", "-p", "guidance=7.5", "-p", "scheduler=euler");

    private Task<CliProcess.Outcome> Fill(string output, string prompt) =>
        Cli("fill", Photo(), "--rect", "16,16,32,24", "--grow", "0", "-o", temp.File(output), "--prompt", prompt, "--negative", "blurry",
            "--model", TinyDiffusionDaemon.Model, "--seed", "3", "-p", "steps=3");

    private Task<CliProcess.Outcome> Cli(params string[] args) =>
        CliProcess.RunAsync([.. args, "--state-dir", fixture.Daemon.StateDirectory, "--no-start"]);
}
