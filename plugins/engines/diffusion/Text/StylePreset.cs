namespace EditorBridge.Engines.Diffusion.Text;

/// <summary>
/// A look as a prompt template: <see cref="PositiveTemplate"/> holds <c>{prompt}</c> where the user's
/// text goes; <see cref="NegativeAdditions"/> is appended to the user's negative prompt.
/// </summary>
public sealed record StylePreset(string Name, string Title, string PositiveTemplate, string NegativeAdditions)
{
    public const string Placeholder = "{prompt}";

    public StyledPrompt Apply(string prompt, string negativePrompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(negativePrompt);
        string positive = PositiveTemplate.Replace(Placeholder, prompt.Trim(), StringComparison.Ordinal);
        return new StyledPrompt(TidyCommas(positive), JoinNonEmpty(negativePrompt.Trim(), NegativeAdditions));
    }

    /// <summary>An empty prompt leaves ", , " behind in the template; drop the empty items.</summary>
    private static string TidyCommas(string text) =>
        string.Join(", ", text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    private static string JoinNonEmpty(string first, string second) =>
        string.Join(", ", new[] { first, second }.Where(s => s.Length > 0));
}
