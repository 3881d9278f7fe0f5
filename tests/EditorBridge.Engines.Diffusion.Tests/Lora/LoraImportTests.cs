using EditorBridge.Engines.Diffusion.Tests.ThroughDaemon;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using EditorBridge.TinyModels;
using EditorBridge.TinyModels.StableDiffusion;
using Grpc.Core;
using Onnx;

namespace EditorBridge.Engines.Diffusion.Tests.Lora;

/// <summary>A LoRA imported through the daemon for an installed model: a new model of its own that serves jobs and names its base and LoRA.</summary>
public sealed class LoraImportTests : IAsyncLifetime
{
    private readonly TempDirectory temp = new("lora-import");
    private RunningDaemon daemon = null!;

    public async Task InitializeAsync() =>
        daemon = await RunningDaemon.StartAsync(options => options.ModelsDirectory = Path.Combine(temp.Path, "store"));

    public async Task DisposeAsync()
    {
        await daemon.DisposeAsync();
        temp.Dispose();
    }

    [Fact]
    public async Task A_kohya_LoRA_becomes_a_model_that_changes_the_result_and_names_its_base_and_strength()
    {
        var baseModel = await daemon.Client.Raw.ImportModelAsync(new ImportModelRequest { Path = TorchNamedModel("base-sd") });
        var lora = WriteLora("style.safetensors", "lora_unet_conv_in");

        var variant = await daemon.Client.Raw.ImportModelAsync(new ImportModelRequest { Path = lora, BaseModel = "base-sd", LoraStrength = 0.7 });
        var plain = await daemon.Client.RunJobAsync(Generate("base-sd"));
        var styled = await daemon.Client.RunJobAsync(Generate(variant.Name));
        var models = (await daemon.Client.Raw.ListModelsAsync(new ListModelsRequest())).Models;

        Assert.Equal("base-sd-style-0.7", variant.Name);
        Assert.NotEqual(baseModel.Identity, variant.Identity);
        Assert.NotEqual(plain.Layer.Data, styled.Layer.Data);
        Assert.Equal(("base-sd", "style.safetensors", 0.7), (styled.Provenance.BaseModel, styled.Provenance.Loras.Single().File, styled.Provenance.Loras.Single().Strength));
        Assert.Equal("", plain.Provenance.BaseModel);
        Assert.Equal(baseModel.Identity, models.Single(m => m.Name == "base-sd").Identity);
        Assert.Equal("base-sd", models.Single(m => m.Name == variant.Name).BaseModel);
    }

    [Fact]
    public async Task A_LoRA_whose_keys_match_nothing_is_refused_naming_them()
    {
        await daemon.Client.Raw.ImportModelAsync(new ImportModelRequest { Path = TorchNamedModel("base-sd") });
        var lora = WriteLora("other.safetensors", "lora_unet_input_blocks_4_1_proj_in");

        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.Raw.ImportModelAsync(new ImportModelRequest { Path = lora, BaseModel = "base-sd" }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("none of the 1 modules of other.safetensors match a weight of 'base-sd' (e.g. 'unet:input_blocks_4_1_proj_in')", e.Status.Detail);
        Assert.Single((await daemon.Client.Raw.ListModelsAsync(new ListModelsRequest())).Models);
    }

    private static JobRequest Generate(string model)
    {
        var request = WireJobs.Job("generate", WireJobs.Picture());
        request.Model = model;
        return request;
    }

    // the tiny SD 1.5 model with its UNet's first Conv named as torch.onnx names conv_in
    private string TorchNamedModel(string name)
    {
        var folder = TinyDiffusionModel.Write(Path.Combine(temp.Path, name), new TinyDiffusionOptions(name));
        var graphPath = Path.Combine(folder, "unet", "model.onnx");
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(graphPath));
        model.Graph.Node.First(n => n.OpType == "Conv").Name = "/conv_in/Conv";
        File.WriteAllBytes(graphPath, Google.Protobuf.MessageExtensions.ToByteArray(model));
        TinyDiffusionModel.WriteManifest(folder, new TinyDiffusionOptions(name));
        return folder;
    }

    // a rank-2 conv LoRA for the tiny UNet's conv_in (8 outputs, 4 inputs, 3×3)
    private string WriteLora(string fileName, string module)
    {
        var random = new Random(3);
        float[] Values(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var path = Path.Combine(temp.Path, fileName);
        SafeTensorsFile.Write(path, new Dictionary<string, (long[], float[])>
        {
            [module + ".lora_down.weight"] = ([2, 4, 3, 3], Values(2 * 4 * 9)),
            [module + ".lora_up.weight"] = ([8, 2, 1, 1], Values(8 * 2)),
        });
        return path;
    }
}
