using System.Text;
using System.Text.Json;

namespace EditorBridge.TinyModels.StableDiffusion;

/// <summary>
/// A small but valid CLIP BPE vocabulary: GPT-2's byte-to-unicode alphabet (every byte as a
/// token, alone and word-final with "&lt;/w&gt;"), a few merges for common English pairs, and CLIP's
/// special tokens last, as in openai/clip-vit-large-patch14's files.
/// </summary>
public static class TinyClipVocabulary
{
    public const string StartToken = "<|startoftext|>";
    public const string EndToken = "<|endoftext|>";

    private static readonly string[] Merges =
    [
        "t h", "th e</w>", "a n", "an d</w>", "i n", "o n</w>", "e r</w>", "c a", "ca t</w>", "r e", "re d</w>",
    ];

    public static void Write(string tokenizerDirectory)
    {
        Directory.CreateDirectory(tokenizerDirectory);
        var alphabet = ByteAlphabet();
        var tokens = new List<string>(alphabet);
        tokens.AddRange(alphabet.Select(c => c + "</w>"));
        tokens.AddRange(Merges.Select(m => m.Replace(" ", "", StringComparison.Ordinal)));
        tokens.Add(StartToken);
        tokens.Add(EndToken);
        var vocab = tokens.Distinct().Select((token, id) => (token, id)).ToDictionary(t => t.token, t => t.id);
        File.WriteAllText(Path.Combine(tokenizerDirectory, "vocab.json"), JsonSerializer.Serialize(vocab));
        File.WriteAllText(Path.Combine(tokenizerDirectory, "merges.txt"), "#version: 0.2\n" + string.Join('\n', Merges) + "\n", new UTF8Encoding(false));
        File.WriteAllText(Path.Combine(tokenizerDirectory, "tokenizer_config.json"),
            """{"model_max_length": 77, "bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>", "pad_token": "<|endoftext|>", "do_lower_case": true}""");
        File.WriteAllText(Path.Combine(tokenizerDirectory, "special_tokens_map.json"),
            """{"bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>", "pad_token": "<|endoftext|>", "unk_token": "<|endoftext|>"}""");
    }

    // GPT-2's reversible byte → printable character map, which CLIP's BPE uses too.
    private static List<string> ByteAlphabet()
    {
        var printable = Enumerable.Range('!', '~' - '!' + 1).Concat(Enumerable.Range(0xA1, 0xAC - 0xA1 + 1)).Concat(Enumerable.Range(0xAE, 0xFF - 0xAE + 1)).ToHashSet();
        var result = new List<string>(256);
        int extra = 0;
        for (int b = 0; b < 256; b++)
            result.Add(((char)(printable.Contains(b) ? b : 256 + extra++)).ToString());
        return result;
    }
}
