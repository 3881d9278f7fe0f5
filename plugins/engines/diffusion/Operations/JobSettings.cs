using EditorBridge.Engines.Diffusion.Text;

namespace EditorBridge.Engines.Diffusion.Operations;

/// <summary>A request's sampling settings and its final prompt texts (tags and style preset applied).</summary>
internal sealed record JobSettings(int Steps, float Guidance, string Scheduler, double Strength, string Prompt, string NegativePrompt)
{
    public bool Guided => Guidance > 1f;

    public int Batch => Guided ? 2 : 1;

    public static JobSettings From(EngineRequest request)
    {
        var prompt = request.Prompt;
        var tags = request.Text("tags");
        if (!string.IsNullOrWhiteSpace(tags))
            prompt = string.IsNullOrWhiteSpace(prompt) ? TagPrompt.Build(tags) : $"{TagPrompt.Build(tags)}, {prompt}";
        var styled = StylePresets.Find(request.Text("style")).Apply(prompt, request.NegativePrompt);
        return new JobSettings(
            request.Integer("steps"),
            (float)request.Number("guidance"),
            request.Text("scheduler"),
            request.Parameters.ContainsKey("strength") ? request.Number("strength") : 1.0,
            styled.Positive,
            styled.Negative);
    }
}
