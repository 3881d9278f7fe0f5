using EditorBridge.Engines.Diffusion.Models;
using EditorBridge.Engines.Diffusion.Tests.InProcess;
using EditorBridge.Testing;
using EditorBridge.TinyModels.StableDiffusion;
using static EditorBridge.Engines.Diffusion.Tests.InProcess.EngineRuns;

namespace EditorBridge.Engines.Diffusion.Tests.Sdxl;

/// <summary>SDXL-shaped models found, checked and run by the engine: family from the folder, two encoders, added conditioning, 9-channel fill.</summary>
public sealed class SdxlPipelineTests(SdxlModelStore store) : IClassFixture<SdxlModelStore>
{
    [Fact]
    public void The_family_comes_from_model_index_with_SDXL_defaults_for_what_the_configs_leave_out()
    {
        var xl = DiffusionModelScan.Read(store.ModelDirectory(SdxlModelStore.Plain))!;
        using var other = new TempDirectory("sd15");
        var sd = DiffusionModelScan.Read(TinyDiffusionModel.Write(Path.Combine(other.Path, "m"), new TinyDiffusionOptions("m")))!;

        Assert.Equal((DiffusionFamily.StableDiffusionXL, 1024, 0.13025f, true), (xl.Family, xl.MaxWorkingSide, xl.ScalingFactor, xl.ZeroEmptyNegative));
        Assert.Equal(["text_encoder", "text_encoder_2"], xl.TextEncoders);
        Assert.Equal((DiffusionFamily.StableDiffusion, 512), (sd.Family, sd.MaxWorkingSide));
    }

    [Fact]
    public void The_model_check_accepts_the_SDXL_export_and_names_what_a_broken_one_lacks()
    {
        using var temp = new TempDirectory("sdxl-check");
        var good = DiffusionModelCheck.Check(store.ModelDirectory(SdxlModelStore.Plain));
        // an SDXL index over an SD 1.5 UNet (no text_embeds, no time_ids)
        var sdUnet = TinyDiffusionModel.Write(Path.Combine(temp.Path, "xl-index"), new TinyDiffusionOptions("a", XL: true));
        TinyDiffusionGraphs.Unet(new TinyDiffusionOptions("a")).Save(Path.Combine(sdUnet, "unet", "model.onnx"));
        // an SD 1.5 index over an SDXL UNet
        var xlUnet = TinyDiffusionModel.Write(Path.Combine(temp.Path, "sd-index"), new TinyDiffusionOptions("b"));
        TinyDiffusionGraphs.Unet(new TinyDiffusionOptions("b", XL: true)).Save(Path.Combine(xlUnet, "unet", "model.onnx"));
        // no second tokenizer
        var noTokenizer = TinyDiffusionModel.Write(Path.Combine(temp.Path, "no-tok"), new TinyDiffusionOptions("c", XL: true));
        Directory.Delete(Path.Combine(noTokenizer, "tokenizer_2"), recursive: true);

        Assert.Empty(good);
        Assert.Contains("unet/model.onnx has no input 'text_embeds' (its inputs: sample, timestep, encoder_hidden_states), which an SDXL model needs.", DiffusionModelCheck.Check(sdUnet));
        Assert.Contains("unet/model.onnx takes 'text_embeds' and 'time_ids' (an SDXL UNet) but model_index.json names no text_encoder_2.", DiffusionModelCheck.Check(xlUnet));
        Assert.Contains("tokenizer_2/vocab.json and tokenizer_2/merges.txt are missing.", DiffusionModelCheck.Check(noTokenizer));
    }

    [Fact]
    public async Task Generate_is_deterministic_and_follows_prompt_and_size_conditioning()
    {
        using var engine = Engine(store.Path);
        var image = Photo(64);

        var first = await RunAsync(engine, Request(engine, "generate", image, model: SdxlModelStore.Plain));
        var again = await RunAsync(engine, Request(engine, "generate", image, model: SdxlModelStore.Plain));
        var otherPrompt = await RunAsync(engine, Request(engine, "generate", image, model: SdxlModelStore.Plain, prompt: "the blue sea"));
        var wider = await RunAsync(engine, Request(engine, "generate", new EngineImage(72, 64, new byte[72 * 64 * 4]), model: SdxlModelStore.Plain));

        Assert.Equal(first.Image.Pixels, again.Image.Pixels);
        Assert.NotEqual(first.Image.Pixels, otherPrompt.Image.Pixels);
        Assert.Equal((SdxlModelStore.Plain, 72), (first.ModelName, wider.Image.Width));
    }

    [Fact]
    public async Task Fill_with_a_9_channel_SDXL_inpainting_unet_changes_only_the_hole()
    {
        using var engine = Engine(store.Path);
        var image = Photo(64);
        var hole = Hole(64, 16, 24, 24, 16);

        var output = await RunAsync(engine, Request(engine, "fill", image, hole, model: SdxlModelStore.Inpainting));

        int changedInside = 0;
        for (int p = 0; p < 64 * 64; p++)
        {
            bool same = output.Image.Pixels.AsSpan(p * 4, 4).SequenceEqual(image.Pixels.AsSpan(p * 4, 4));
            if (hole.Coverage[p] == 0)
                Assert.True(same, $"pixel {p} outside the hole changed");
            else if (!same)
                changedInside++;
        }

        Assert.True(changedInside > 24 * 16 / 2, $"only {changedInside} hole pixels changed");
    }

    [Fact]
    public async Task The_memory_preflight_counts_the_second_text_encoder()
    {
        using var temp = new TempDirectory("sdxl-huge");
        var model = TinyDiffusionModel.Write(Path.Combine(temp.Path, "huge-xl"), new TinyDiffusionOptions("huge-xl", XL: true));
        using (var weights = new FileStream(Path.Combine(model, "text_encoder_2", "model.onnx_data"), FileMode.Create))
            weights.SetLength(4L << 40);
        using var engine = Engine(temp.Path);

        var e = await Assert.ThrowsAsync<InsufficientMemoryException>(() => RunAsync(engine, Request(engine, "generate", Photo(64))));

        Assert.Contains("model weights 4096.0 GiB", e.Message);
    }
}
