using EditorBridge.Testing;
using EditorBridge.TinyModels;
using EditorBridge.TinyModels.StableDiffusion;
using DataType = Onnx.TensorProto.Types.DataType;

namespace EditorBridge.Engines.Diffusion.Tests.InProcess;

/// <summary>CheckModel on good and broken diffusers folders: one clear sentence per problem.</summary>
public sealed class ModelCheckTests : IDisposable
{
    private readonly TempDirectory folder = new("diffusion-check");
    private readonly DiffusionEngine engine = EngineRuns.Engine("");

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(true, true, false)]
    [InlineData(false, false, true)]
    public void A_complete_folder_passes(bool half, bool inpainting, bool controlNet)
    {
        var model = TinyDiffusionModel.Write(Path.Combine(folder.Path, "m"), new TinyDiffusionOptions(Half: half, Inpainting: inpainting, ControlNet: controlNet));

        Assert.Empty(engine.CheckModel(model, "diffusion"));
    }

    [Fact]
    public void Other_kinds_are_not_this_engines_business() =>
        Assert.Empty(engine.CheckModel(folder.Path, "upscale"));

    [Fact]
    public void Missing_files_are_named()
    {
        var model = TinyDiffusionModel.Write(Path.Combine(folder.Path, "m"));
        File.Delete(Path.Combine(model, "vae_decoder", "model.onnx"));
        File.Delete(Path.Combine(model, "tokenizer", "merges.txt"));

        var problems = engine.CheckModel(model, "diffusion");

        Assert.Equal(2, problems.Count);
        Assert.Contains("tokenizer/merges.txt is missing.", problems);
        Assert.Contains("vae_decoder/model.onnx is missing.", problems);
    }

    [Fact]
    public void A_missing_external_weights_file_is_reported()
    {
        var model = TinyDiffusionModel.Write(Path.Combine(folder.Path, "m"));
        File.Delete(Path.Combine(model, "unet", TinyDiffusionModel.WeightsFile));

        var problem = Assert.Single(engine.CheckModel(model, "diffusion"));

        Assert.StartsWith("unet/model.onnx cannot be opened by ONNX Runtime (a missing external weights file", problem);
    }

    [Fact]
    public void A_wrong_input_name_is_reported_with_the_names_the_graph_has()
    {
        var model = TinyDiffusionModel.Write(Path.Combine(folder.Path, "m"));
        new TinyGraph("unet")
            .Input("latents", DataType.Float, "batch", 4, "h", "w")
            .Input("timestep", DataType.Int64, 1)
            .Input("encoder_hidden_states", DataType.Float, "batch", 77, 768)
            .Output("out_sample", DataType.Float, "batch", 4, "h", "w")
            .Node("Identity", ["latents"], ["out_sample"])
            .Save(Path.Combine(model, "unet", "model.onnx"));

        var problem = Assert.Single(engine.CheckModel(model, "diffusion"));

        Assert.Equal("unet/model.onnx has no input 'sample' (its inputs: latents, timestep, encoder_hidden_states).", problem);
    }

    [Fact]
    public void A_wrong_dtype_is_reported()
    {
        var model = TinyDiffusionModel.Write(Path.Combine(folder.Path, "m"));
        new TinyGraph("text_encoder")
            .Input("input_ids", DataType.Float, "batch", 77)
            .Output("last_hidden_state", DataType.Float, "batch", 77)
            .Node("Identity", ["input_ids"], ["last_hidden_state"])
            .Save(Path.Combine(model, "text_encoder", "model.onnx"));

        var problems = engine.CheckModel(model, "diffusion");

        Assert.Equal(
            ["text_encoder/model.onnx: input 'input_ids' is float32, expected int32 or int64.", "text_encoder/model.onnx: output 'last_hidden_state' has rank 2, expected 3."],
            problems);
    }

    [Fact]
    public void A_folder_that_is_not_a_diffusers_export_says_so()
    {
        Directory.CreateDirectory(Path.Combine(folder.Path, "empty"));

        var problems = engine.CheckModel(Path.Combine(folder.Path, "empty"), "diffusion");

        Assert.Contains("model_index.json is missing: this is not a diffusers model folder.", problems);
        Assert.Contains("unet/model.onnx is missing.", problems);
    }

    public void Dispose()
    {
        engine.Dispose();
        folder.Dispose();
    }
}
