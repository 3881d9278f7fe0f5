using System.IO.Compression;
using System.Text;
using System.Text.Json;
using EditorBridge.Engines.Diffusion.Text;
using EditorBridge.Testing;

namespace EditorBridge.Engines.Diffusion.Tests.Text;

/// <summary>
/// The real CLIP tokenizer files in SD 1.5's layout, built from tests/data/clip/merges.txt.gz (see the
/// README there): merges.txt as shipped, vocab.json derived the way OpenAI's CLIP defines it
/// (the 256 byte symbols, the same with "&lt;/w&gt;", one entry per merge, then the two special tokens).
/// </summary>
public sealed class RealClipVocabulary : IDisposable
{
    private readonly TempDirectory directory = new("clip");

    public RealClipVocabulary()
    {
        string[] merges = ReadMerges();
        File.WriteAllLines(directory.File("merges.txt"), merges);
        File.WriteAllText(directory.File("vocab.json"), JsonSerializer.Serialize(Vocabulary(merges.Skip(1))));
        Tokenizer = ClipTokenizer.Load(directory.Path);
    }

    public string DirectoryPath => directory.Path;

    public ClipTokenizer Tokenizer { get; }

    public void Dispose() => directory.Dispose();

    private static string[] ReadMerges()
    {
        using var gzip = new GZipStream(File.OpenRead(Path.Combine(DataDirectory(), "merges.txt.gz")), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static Dictionary<string, int> Vocabulary(IEnumerable<string> merges)
    {
        var symbols = ByteSymbols();
        var tokens = symbols.Concat(symbols.Select(s => s + "</w>"))
            .Concat(merges.Select(m => m.Replace(" ", "", StringComparison.Ordinal)))
            .Append(ClipTokenizer.StartToken)
            .Append(ClipTokenizer.EndToken);
        var vocabulary = new Dictionary<string, int>();
        foreach (string token in tokens)
            vocabulary.Add(token, vocabulary.Count);
        return vocabulary;
    }

    /// <summary>GPT-2/CLIP bytes_to_unicode in its order: printable Latin-1 bytes as themselves, the rest from U+0100 on.</summary>
    private static List<string> ByteSymbols()
    {
        static bool Printable(int b) => b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
        var symbols = Enumerable.Range(0, 256).Where(Printable).Select(b => ((char)b).ToString()).ToList();
        int next = 256;
        foreach (int b in Enumerable.Range(0, 256).Where(b => !Printable(b)))
            symbols.Add(((char)next++).ToString());
        return symbols;
    }

    private static string DataDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "data", "clip");
            if (Directory.Exists(candidate))
                return candidate;
        }
        throw new DirectoryNotFoundException($"tests/data/clip not found above {AppContext.BaseDirectory}");
    }
}
