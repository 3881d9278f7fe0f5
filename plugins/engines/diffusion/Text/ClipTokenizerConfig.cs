using System.Text.Json;

namespace EditorBridge.Engines.Diffusion.Text;

/// <summary>Reads the pad token from <c>special_tokens_map.json</c> or <c>tokenizer_config.json</c>.</summary>
internal static class ClipTokenizerConfig
{
    /// <summary>The pad token's text, or null when neither file says (then the end token pads, as in SD 1.5).</summary>
    public static string? PadToken(string tokenizerDirectory)
    {
        foreach (string name in new[] { "special_tokens_map.json", "tokenizer_config.json" })
        {
            string path = Path.Combine(tokenizerDirectory, name);
            if (File.Exists(path) && ReadPad(path) is { } pad)
                return pad;
        }
        return null;
    }

    private static string? ReadPad(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("pad_token", out var pad))
                return null;
            // Either "pad_token": "<|endoftext|>" or an AddedToken object {"content": "...", ...}.
            return pad.ValueKind switch
            {
                JsonValueKind.String => pad.GetString(),
                JsonValueKind.Object when pad.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String => content.GetString(),
                _ => null,
            };
        }
        catch (JsonException error)
        {
            throw new EngineInputException("model", $"{path}: {error.Message}");
        }
    }
}
