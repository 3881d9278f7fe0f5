using EditorBridge.Testing;
using EditorBridge.TinyModels.StableDiffusion;

namespace EditorBridge.Cli.Tests;

/// <summary><c>doctor</c> on a model store with a damaged model, no daemon running: each problem named, with its fix.</summary>
public sealed class CliDoctorModelsTests : IDisposable
{
    private readonly TempDirectory temp = new("cli-doc");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task A_truncated_model_file_and_a_stray_folder_are_problems_with_fixes_and_a_changed_byte_needs_verify_models()
    {
        var store = Path.Combine(temp.Path, "models");
        var truncated = TinyDiffusionModel.Write(Path.Combine(store, "cut"), new TinyDiffusionOptions("cut"));
        var flipped = TinyDiffusionModel.Write(Path.Combine(store, "flipped"), new TinyDiffusionOptions("flipped"));
        var weights = Path.Combine(truncated, "unet", TinyDiffusionModel.WeightsFile);
        File.WriteAllBytes(weights, File.ReadAllBytes(weights)[..100]);
        var graph = Path.Combine(flipped, "text_encoder", "model.onnx");
        var bytes = File.ReadAllBytes(graph);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(graph, bytes);
        Directory.CreateDirectory(Path.Combine(store, "stray"));
        var environment = new Dictionary<string, string> { ["EDITORBRIDGE_MODELS_DIR"] = store };

        var quick = await CliProcess.RunAsync(environment, "doctor", "--state-dir", temp.File("state"), "--no-start");
        var full = await CliProcess.RunAsync(environment, "doctor", "--state-dir", temp.File("state"), "--no-start", "--verify-models");

        Assert.Equal(ExitCodes.DoctorFoundProblems, quick.ExitCode);
        Assert.Contains($"ok    model store {store}: 3 model(s)", quick.Out);
        Assert.Contains("FAIL  model cut is damaged: 'unet/model.onnx_data' has 100 bytes, the manifest says", quick.Out);
        Assert.Contains("fix: editorbridge models remove cut, then pull or import it again", quick.Out);
        Assert.Contains("FAIL  model folder 'stray' in the store has no readable manifest.json", quick.Out);
        Assert.Contains("ok    model flipped: diffusion, serves generate, fill, restore, stylize, compose; every file present at its size", quick.Out);
        Assert.Contains("FAIL  model flipped is damaged: 'text_encoder/model.onnx' has SHA-256", full.Out);
        Assert.Contains("fix: editorbridge models remove flipped", full.Out);
    }
}
