namespace EditorBridge.Engines.Diffusion.Text;

/// <summary>A run of prompt text with one attention weight (1 = plain).</summary>
public sealed record PromptFragment(string Text, float Weight);
