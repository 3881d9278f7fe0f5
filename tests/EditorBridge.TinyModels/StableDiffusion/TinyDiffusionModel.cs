using System.Security.Cryptography;
using EditorBridge.ModelStore;

namespace EditorBridge.TinyModels.StableDiffusion;

/// <summary>
/// Writes a complete tiny Stable Diffusion 1.5 folder in the diffusers ONNX layout, with a
/// <c>manifest.json</c> (kind diffusion) so that the folder is an installed model of a model store.
/// </summary>
public static class TinyDiffusionModel
{
    public const string WeightsFile = "model.onnx_data";

    /// <summary>Writes the model into <paramref name="directory"/> (created) and returns that folder.</summary>
    public static string Write(string directory, TinyDiffusionOptions? options = null)
    {
        var o = options ?? new TinyDiffusionOptions();
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "model_index.json"), ModelIndex(o));
        Directory.CreateDirectory(Path.Combine(directory, "scheduler"));
        File.WriteAllText(Path.Combine(directory, "scheduler", "scheduler_config.json"),
            """{"_class_name": "PNDMScheduler", "beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear", "num_train_timesteps": 1000, "set_alpha_to_one": false, "skip_prk_steps": true, "steps_offset": 1, "prediction_type": "epsilon"}""");
        TinyClipVocabulary.Write(Path.Combine(directory, "tokenizer"));
        if (o.XL)
        {
            // SDXL's second tokenizer pads with "!" (its special_tokens_map.json says so)
            TinyClipVocabulary.Write(Path.Combine(directory, "tokenizer_2"));
            File.WriteAllText(Path.Combine(directory, "tokenizer_2", "special_tokens_map.json"), """{"pad_token": "!"}""");
            Save(directory, "text_encoder", TinySdxlGraphs.TextEncoder(o, second: false), external: false);
            Save(directory, "text_encoder_2", TinySdxlGraphs.TextEncoder(o, second: true), external: false);
        }
        else
        {
            Save(directory, "text_encoder", TinyDiffusionGraphs.TextEncoder(o), external: false);
        }

        Save(directory, "unet", TinyDiffusionGraphs.Unet(o), o.ExternalWeights);
        Save(directory, "vae_encoder", TinyDiffusionGraphs.VaeEncoder(o), external: false);
        Save(directory, "vae_decoder", TinyDiffusionGraphs.VaeDecoder(o), o.ExternalWeights);
        File.WriteAllText(Path.Combine(directory, "vae_decoder", "config.json"), o.XL
            ? """{"_class_name": "AutoencoderKL", "scaling_factor": 0.13025, "latent_channels": 4, "sample_size": 1024}"""
            : """{"_class_name": "AutoencoderKL", "scaling_factor": 0.18215, "latent_channels": 4}""");
        if (o.ControlNet)
            Save(directory, "controlnet", TinyDiffusionGraphs.ControlNet(o), external: false);
        foreach (var (type, i) in (o.ControlTypes ?? []).Select((t, i) => (t, i)))
            Save(directory, $"controlnet_{type}", TinyDiffusionGraphs.ControlNet(o, seed: 10 + i), external: false);
        WriteManifest(directory, o);
        return directory;
    }

    /// <summary>Writes a manifest listing every file now in <paramref name="directory"/> (call again after changing files).</summary>
    public static void WriteManifest(string directory, TinyDiffusionOptions o)
    {
        File.Delete(Path.Combine(directory, ModelManifest.FileName));
        var files = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(path => new ModelFile(Path.GetRelativePath(directory, path).Replace('\\', '/'), new FileInfo(path).Length, Sha256(path)))
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToList();
        var operations = new List<string> { "generate", "fill", "restore", "stylize", "compose" };
        if (o.ControlNet)
            operations.Add("colorize");
        var manifest = new ModelManifest(o.Name, ModelKind.Diffusion, "1.0", files, new ModelLicence("MIT"), operations,
            Description: $"tiny {(o.XL ? "SDXL" : "Stable Diffusion 1.5")}-shaped test model ({(o.Half ? "fp16" : "fp32")}, {(o.Inpainting ? "9" : "4")}-channel UNet)");
        File.WriteAllText(Path.Combine(directory, ModelManifest.FileName), manifest.ToJson());
    }

    private static void Save(string directory, string component, TinyGraph graph, bool external)
    {
        var folder = Path.Combine(directory, component);
        Directory.CreateDirectory(folder);
        graph.Save(Path.Combine(folder, "model.onnx"), external ? WeightsFile : null);
    }

    private static string ModelIndex(TinyDiffusionOptions o) => o.XL ? ModelIndexXL(o) : $$"""
        {
          "_class_name": "{{(o.Inpainting ? "OnnxStableDiffusionInpaintPipeline" : "OnnxStableDiffusionPipeline")}}",
          "_diffusers_version": "0.30.0",
          "feature_extractor": [null, null],
          "requires_safety_checker": false,
          "safety_checker": [null, null],
          "scheduler": ["diffusers", "PNDMScheduler"],
          "text_encoder": ["diffusers", "OnnxRuntimeModel"],
          "tokenizer": ["transformers", "CLIPTokenizer"],
          "unet": ["diffusers", "OnnxRuntimeModel"],
          "vae_decoder": ["diffusers", "OnnxRuntimeModel"],
          "vae_encoder": ["diffusers", "OnnxRuntimeModel"]{{(o.ControlNet ? ",\n  \"controlnet\": [\"diffusers\", \"OnnxRuntimeModel\"]" : "")}}
        }
        """;

    // as optimum writes it for an SDXL export (ORTStableDiffusionXLPipeline): two text encoders and tokenizers
    private static string ModelIndexXL(TinyDiffusionOptions o) => $$"""
        {
          "_class_name": "{{(o.Inpainting ? "ORTStableDiffusionXLInpaintPipeline" : "ORTStableDiffusionXLPipeline")}}",
          "_diffusers_version": "0.30.0",
          "force_zeros_for_empty_prompt": true,
          "scheduler": ["diffusers", "EulerDiscreteScheduler"],
          "text_encoder": ["transformers", "CLIPTextModel"],
          "text_encoder_2": ["transformers", "CLIPTextModelWithProjection"],
          "tokenizer": ["transformers", "CLIPTokenizer"],
          "tokenizer_2": ["transformers", "CLIPTokenizer"],
          "unet": ["diffusers", "UNet2DConditionModel"],
          "vae": ["diffusers", "AutoencoderKL"]
        }
        """;

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
