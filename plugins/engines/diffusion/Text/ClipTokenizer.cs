using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace EditorBridge.Engines.Diffusion.Text;

/// <summary>
/// CLIP's byte-level BPE (Stable Diffusion's text encoder), on Microsoft.ML.Tokenizers' BPE model
/// with CLIP's text cleaning, pre-tokenization and "&lt;/w&gt;" end-of-word suffix; prompts get the
/// start and end tokens, are cut to <see cref="MaxLength"/> and padded. Prompt weighting syntax is
/// parsed first (<see cref="PromptWeights"/>), so each token carries its weight.
/// </summary>
public sealed partial class ClipTokenizer
{
    public const int MaxLength = 77;
    public const string StartToken = "<|startoftext|>";
    public const string EndToken = "<|endoftext|>";
    private const int DroppedWordsShown = 8;

    private readonly BpeTokenizer bpe;

    private ClipTokenizer(BpeTokenizer bpe, int startId, int endId, int padId)
    {
        this.bpe = bpe;
        StartId = startId;
        EndId = endId;
        PadId = padId;
    }

    public int StartId { get; }

    public int EndId { get; }

    /// <summary>Fills the positions after the end token: the end token itself for SD 1.5, "!" (0) for SD 2.x.</summary>
    public int PadId { get; }

    /// <summary>Loads <c>vocab.json</c> and <c>merges.txt</c> (and the pad token from the tokenizer configs when present).</summary>
    /// <exception cref="EngineInputException">A file is missing or unreadable (field "model"), naming it.</exception>
    public static ClipTokenizer Load(string tokenizerDirectory)
    {
        string vocab = RequiredFile(tokenizerDirectory, "vocab.json");
        string merges = RequiredFile(tokenizerDirectory, "merges.txt");
        Dictionary<string, int> vocabulary = ReadVocabulary(vocab);
        int startId = SpecialId(vocabulary, StartToken, vocab);
        int endId = SpecialId(vocabulary, EndToken, vocab);
        string padToken = ClipTokenizerConfig.PadToken(tokenizerDirectory) ?? EndToken;
        if (!vocabulary.TryGetValue(padToken, out int padId))
            throw new EngineInputException("model", $"{tokenizerDirectory}: pad token '{padToken}' is not in vocab.json");
        var specials = new Dictionary<string, int> { [StartToken] = startId, [EndToken] = endId };
        try
        {
            var bpe = BpeTokenizer.Create(new BpeOptions(vocabulary)
            {
                Merges = ReadMerges(merges),
                PreTokenizer = new RegexPreTokenizer(ClipPattern(), specials),
                SpecialTokens = specials,
                EndOfWordSuffix = "</w>",
                ByteLevel = true,
                UnknownToken = EndToken,
            });
            return new ClipTokenizer(bpe, startId, endId, padId);
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new EngineInputException("model", $"{tokenizerDirectory}: cannot build the CLIP tokenizer: {error.Message}");
        }
    }

    /// <summary>Tokenizes a prompt (weighting syntax allowed) to exactly <see cref="MaxLength"/> ids.</summary>
    /// <exception cref="EngineInputException">Malformed weighting syntax (field <paramref name="field"/>).</exception>
    public TokenizedPrompt Encode(string text, string field = "prompt")
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<Piece>();
        foreach (var fragment in PromptWeights.Parse(text, field))
        {
            string clean = Clean(fragment.Text);
            foreach (var token in bpe.EncodeToTokens(clean, out _, considerPreTokenization: true, considerNormalization: false))
            {
                var (start, length) = token.Offset.GetOffsetAndLength(clean.Length);
                tokens.Add(new Piece(token.Id, fragment.Weight, clean, start, Math.Min(clean.Length, start + length)));
            }
        }
        return Pack(tokens);
    }

    /// <summary>The text tokens of plain text (no start/end token, no padding, no weighting syntax).</summary>
    public IReadOnlyList<int> TextTokenIds(string text) =>
        bpe.EncodeToIds(Clean(text), considerPreTokenization: true, considerNormalization: false);

    /// <summary>CLIP's cleaning: HTML entities resolved, Unicode composed, white space collapsed, lower case.</summary>
    internal static string Clean(string text)
    {
        string unescaped = WebUtility.HtmlDecode(WebUtility.HtmlDecode(text)).Normalize(NormalizationForm.FormC);
        return WhiteSpace().Replace(unescaped, " ").Trim().ToLowerInvariant();
    }

    private TokenizedPrompt Pack(List<Piece> tokens)
    {
        const int capacity = MaxLength - 2;
        var ids = new int[MaxLength];
        var weights = new float[MaxLength];
        Array.Fill(ids, PadId);
        Array.Fill(weights, 1f);
        ids[0] = StartId;
        int kept = Math.Min(tokens.Count, capacity);
        for (int i = 0; i < kept; i++)
        {
            ids[i + 1] = tokens[i].Id;
            weights[i + 1] = tokens[i].Weight;
        }
        ids[kept + 1] = EndId;
        int dropped = tokens.Count - kept;
        return dropped == 0
            ? new TokenizedPrompt(ids, weights, 0, "", "")
            : new TokenizedPrompt(ids, weights, dropped, DroppedWords(tokens[kept]), KeptWords(tokens[kept - 1]));
    }

    private static string DroppedWords(Piece first) =>
        string.Join(' ', first.Source[first.Start..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(DroppedWordsShown));

    private static string KeptWords(Piece last)
    {
        string[] words = last.Source[..last.End].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words.Skip(Math.Max(0, words.Length - 3)));
    }

    private static string RequiredFile(string directory, string name)
    {
        string path = Path.Combine(directory, name);
        if (!File.Exists(path))
            throw new EngineInputException("model", $"tokenizer file missing: {path}");
        return path;
    }

    private static Dictionary<string, int> ReadVocabulary(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<Dictionary<string, int>>(stream)
                ?? throw new EngineInputException("model", $"{path}: empty vocabulary");
        }
        catch (JsonException error)
        {
            throw new EngineInputException("model", $"{path}: not a JSON object of token → id: {error.Message}");
        }
    }

    /// <summary>merges.txt: a "#version" header, then one "left right" pair per line, best first.</summary>
    private static List<string> ReadMerges(string path)
    {
        var merges = new List<string>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0 || (lineNumber == 1 && line.StartsWith("#version", StringComparison.Ordinal)))
                continue;
            if (line.Split(' ').Length != 2)
                throw new EngineInputException("model", $"{path}: line {lineNumber.ToString(CultureInfo.InvariantCulture)} is not a merge pair");
            merges.Add(line);
        }
        return merges;
    }

    private static int SpecialId(Dictionary<string, int> vocabulary, string token, string path) =>
        vocabulary.TryGetValue(token, out int id) ? id : throw new EngineInputException("model", $"{path}: '{token}' is not in the vocabulary");

    /// <summary>CLIP's pre-tokenizer: special tokens, English contractions, letter runs, single digits, other symbol runs.</summary>
    [GeneratedRegex(@"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+", RegexOptions.IgnoreCase)]
    private static partial Regex ClipPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    /// <summary>One text token, with where it came from for the truncation report.</summary>
    private readonly record struct Piece(int Id, float Weight, string Source, int Start, int End);
}
