using System.CommandLine;
using EditorBridge.Protocol.V1;

namespace EditorBridge.Cli.Commands;

/// <summary>
/// The options every job command shares (fill, the operation commands, generate): engine, model,
/// prompts, seed, parameters, and — where the command works on a selection — grow and feather.
/// </summary>
public sealed class JobOptions
{
    private readonly Option<string?> engine = new("--engine") { Description = "Engine to use (default: the best installed)" };
    private readonly Option<string?> model = new("--model") { Description = "Installed model to use (see 'editorbridge models list'; default: the engine's first)" };
    private readonly Option<string?> prompt = new("--prompt") { Description = "What to paint, for model-backed engines (e.g. \"a red boat at dusk\")" };
    private readonly Option<string?> negative = new("--negative") { Description = "What to keep out of the picture (negative prompt)" };
    private readonly Option<ulong?> seed = new("--seed") { Description = "Random seed (default: random, printed)" };
    private readonly Option<string[]> parameters = new("--param", "-p") { Description = "Engine parameter name=value (repeatable; see 'editorbridge info')", AllowMultipleArgumentsPerToken = false };
    private readonly Option<int?> grow = new("--grow") { Description = "Widen the selection by this many pixels first" };
    private readonly Option<int?> feather = new("--feather") { Description = "Soft edge width inside the selection, pixels" };
    private readonly bool selection;
    private readonly bool withPrompt;

    /// <param name="selection">The command takes a selection, so --grow and --feather apply.</param>
    /// <param name="withPrompt">The command has --prompt (generate takes its prompt as an argument instead).</param>
    public JobOptions(bool selection = true, bool withPrompt = true)
    {
        this.selection = selection;
        this.withPrompt = withPrompt;
    }

    public void AddTo(Command command)
    {
        command.Options.Add(engine);
        command.Options.Add(model);
        if (withPrompt)
            command.Options.Add(prompt);
        command.Options.Add(negative);
        command.Options.Add(seed);
        command.Options.Add(parameters);
        if (!selection)
            return;
        command.Options.Add(grow);
        command.Options.Add(feather);
    }

    /// <summary>The prompt options given on the command line ("--prompt", "--negative"), for <see cref="JobRun.NoteIgnoredPrompt"/>.</summary>
    public IReadOnlyList<string> PromptsGiven(ParseResult parse)
    {
        var given = new List<string>();
        if (withPrompt && !string.IsNullOrEmpty(parse.GetValue(prompt)))
            given.Add("--prompt");
        if (!string.IsNullOrEmpty(parse.GetValue(negative)))
            given.Add("--negative");
        return given;
    }

    /// <summary>Sets engine, model, prompts, seed, parameters (with --method, where given) and geometry on the request.</summary>
    public void Apply(ParseResult parse, JobRequest request, string? method = null)
    {
        request.Engine = parse.GetValue(engine) ?? "";
        request.Model = parse.GetValue(model) ?? "";
        if (withPrompt)
            request.Prompt = parse.GetValue(prompt) ?? "";
        request.NegativePrompt = parse.GetValue(negative) ?? "";
        request.Parameters = FillCommand.Parameters(parse.GetValue(parameters) ?? [], method);
        FillCommand.SeedAndGeometry(request, parse.GetValue(seed), selection ? parse.GetValue(grow) : null, selection ? parse.GetValue(feather) : null);
    }
}
