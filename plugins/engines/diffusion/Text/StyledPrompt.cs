namespace EditorBridge.Engines.Diffusion.Text;

/// <summary>A prompt pair after a style preset was applied.</summary>
public sealed record StyledPrompt(string Positive, string Negative);
