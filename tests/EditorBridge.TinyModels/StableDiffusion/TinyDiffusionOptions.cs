namespace EditorBridge.TinyModels.StableDiffusion;

/// <summary>Which tiny Stable Diffusion folder to write.</summary>
/// <param name="Half">fp16 export: float16 inputs, outputs and weights (computed in float32 inside).</param>
/// <param name="Inpainting">The UNet takes 9 channels (latents, mask, masked-image latents), as SD 1.5 inpainting.</param>
/// <param name="ControlNet">Adds <c>controlnet/</c> and residual inputs on the UNet (line-art colorize).</param>
/// <param name="ExternalWeights">The UNet's and the VAE decoder's weights go to <c>model.onnx_data</c> beside the graph.</param>
/// <param name="Timestep">The UNet's timestep input: <c>int64</c>, <c>float32</c> or <c>float16</c>.</param>
/// <param name="TimestepPerSample">Timestep shape [batch] instead of [1].</param>
/// <param name="Features">Hidden channels of the UNet's convolutions (benchmarks raise it so Run time means something).</param>
/// <param name="ControlTypes">Control-layer ControlNets written as <c>controlnet_TYPE/</c> (e.g. scribble, depth), each with its own weights; needs <paramref name="ControlNet"/> (the UNet's residual inputs).</param>
/// <param name="XL">An SDXL-shaped export: <c>text_encoder_2</c> + <c>tokenizer_2</c>, hidden-state outputs, a UNet taking 2048-wide text states, <c>text_embeds</c> and <c>time_ids</c>.</param>
public sealed record TinyDiffusionOptions(
    string Name = "tiny-sd",
    bool Half = false,
    bool Inpainting = false,
    bool ControlNet = false,
    bool ExternalWeights = true,
    string Timestep = "int64",
    bool TimestepPerSample = false,
    int Features = 8,
    bool XL = false,
    string[]? ControlTypes = null);
