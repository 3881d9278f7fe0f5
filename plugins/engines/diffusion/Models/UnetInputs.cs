namespace EditorBridge.Engines.Diffusion.Models;

/// <summary>The UNet's standard inputs; any others are ControlNet residuals, fed in the graph's order from the ControlNet's outputs.</summary>
internal static class UnetInputs
{
    public const string Sample = "sample";
    public const string Timestep = "timestep";
    public const string Text = "encoder_hidden_states";

    public static IReadOnlyList<string> Residuals(IEnumerable<string> inputNames) =>
        inputNames.Where(n => n is not (Sample or Timestep or Text)).ToList();
}
