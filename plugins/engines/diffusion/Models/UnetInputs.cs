namespace EditorBridge.Engines.Diffusion.Models;

/// <summary>
/// The UNet's standard inputs (SDXL adds the pooled text embedding and the size conditioning); any
/// others are ControlNet residuals, fed in the graph's order from the ControlNet's outputs.
/// </summary>
internal static class UnetInputs
{
    public const string Sample = "sample";
    public const string Timestep = "timestep";
    public const string Text = "encoder_hidden_states";
    public const string TextEmbeds = "text_embeds";
    public const string TimeIds = "time_ids";

    public static IReadOnlyList<string> Residuals(IEnumerable<string> inputNames) =>
        inputNames.Where(n => n is not (Sample or Timestep or Text or TextEmbeds or TimeIds)).ToList();

    /// <summary>The graph takes SDXL's added conditioning (<c>text_embeds</c> and <c>time_ids</c>).</summary>
    public static bool TakesAddedConditioning(IEnumerable<string> inputNames)
    {
        var names = inputNames.ToHashSet(StringComparer.Ordinal);
        return names.Contains(TextEmbeds) && names.Contains(TimeIds);
    }
}
