using EditorBridge.Engines.Diffusion.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace EditorBridge.Engines.Diffusion.Models;

/// <summary>
/// What an SDXL folder must have beyond SD 1.5's (the family comes from model_index.json; the
/// graphs must agree with it): both text encoders export their hidden states (the penultimate layer
/// is used), the second exports its pooled projection <c>text_embeds</c>, and the UNet takes
/// <c>text_embeds</c> [b, 1280] and <c>time_ids</c> [b, 6]. An SD 1.x folder whose UNet takes them is
/// refused too: it would run without the conditioning it was trained on.
/// </summary>
internal static class SdxlModelCheck
{
    public static void Check(DiffusionFamily family, IReadOnlyDictionary<string, GraphSignature> graphs, List<string> problems)
    {
        graphs.TryGetValue(DiffusionLayout.Unet, out var unet);
        if (family != DiffusionFamily.StableDiffusionXL)
        {
            if (unet is not null && UnetInputs.TakesAddedConditioning(unet.Inputs.Keys))
                problems.Add($"{DiffusionLayout.Relative(DiffusionLayout.Unet)} takes '{UnetInputs.TextEmbeds}' and '{UnetInputs.TimeIds}' (an SDXL UNet) but {DiffusionLayout.ModelIndex} names no {DiffusionLayout.TextEncoder2}.");
            return;
        }

        foreach (var encoder in new[] { DiffusionLayout.TextEncoder, DiffusionLayout.TextEncoder2 })
        {
            if (graphs.TryGetValue(encoder, out var graph) && SdxlTextConditioning.PenultimateHidden(graph.Outputs.Keys) is null)
                problems.Add($"{DiffusionLayout.Relative(encoder)} exports no hidden states ('hidden_states.0' … 'hidden_states.N'; its outputs: {string.Join(", ", graph.Outputs.Keys)}): SDXL uses the penultimate layer, export with output_hidden_states.");
        }

        if (graphs.TryGetValue(DiffusionLayout.TextEncoder2, out var second))
            Rank(second.Outputs, SdxlTextConditioning.PooledOutput, 2, DiffusionLayout.TextEncoder2, "output", problems);
        if (unet is null)
            return;
        Rank(unet.Inputs, UnetInputs.TextEmbeds, 2, DiffusionLayout.Unet, "input", problems);
        Rank(unet.Inputs, UnetInputs.TimeIds, 2, DiffusionLayout.Unet, "input", problems);
    }

    private static void Rank(IReadOnlyDictionary<string, NodeMetadata> tensors, string name, int rank, string component, string side, List<string> problems)
    {
        string graph = DiffusionLayout.Relative(component);
        if (!tensors.TryGetValue(name, out var meta))
            problems.Add($"{graph} has no {side} '{name}' (its {side}s: {string.Join(", ", tensors.Keys)}), which an SDXL model needs.");
        else if (!meta.IsTensor || meta.Dimensions.Length != rank || !Models.TensorExpectation.Floats.Contains(meta.ElementDataType))
            problems.Add($"{graph}: {side} '{name}' should be a float tensor of rank {rank}.");
    }
}
