using Microsoft.ML.OnnxRuntime.Tensors;

namespace EditorBridge.Engines.Diffusion.Models;

/// <summary>What the engine feeds and reads for each graph of a diffusers SD 1.5 ONNX export (optimum's names).</summary>
internal sealed record GraphExpectation(string Component, IReadOnlyList<TensorExpectation> Inputs, IReadOnlyList<TensorExpectation> Outputs)
{
    public static readonly TensorExpectation Timestep =
        new(["timestep"], 0, 1, [TensorElementType.Int64, TensorElementType.Float, TensorElementType.Float16]);

    public static GraphExpectation TextEncoder { get; } = new(DiffusionLayout.TextEncoder,
        [new(["input_ids"], 2, 2, [TensorElementType.Int32, TensorElementType.Int64])],
        [TensorExpectation.Float("last_hidden_state", 3)]);

    public static GraphExpectation Unet { get; } = new(DiffusionLayout.Unet,
        [TensorExpectation.Float("sample", 4), Timestep, TensorExpectation.Float("encoder_hidden_states", 3)],
        [TensorExpectation.Float("out_sample", 4)]);

    public static GraphExpectation VaeEncoder { get; } = new(DiffusionLayout.VaeEncoder,
        [TensorExpectation.Float("sample", 4)],
        [new(["latent_sample", "latent_parameters"], 4, 4, TensorExpectation.Floats)]);

    public static GraphExpectation VaeDecoder { get; } = new(DiffusionLayout.VaeDecoder,
        [TensorExpectation.Float("latent_sample", 4)],
        [TensorExpectation.Float("sample", 4)]);

    public static GraphExpectation ControlNet { get; } = new(DiffusionLayout.ControlNet,
        [TensorExpectation.Float("sample", 4), Timestep, TensorExpectation.Float("encoder_hidden_states", 3), TensorExpectation.Float("controlnet_cond", 4)],
        []);

    public static IReadOnlyList<GraphExpectation> Required { get; } = [TextEncoder, Unet, VaeEncoder, VaeDecoder];
}
