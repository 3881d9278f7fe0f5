using EditorBridge.LocalState;
using EditorBridge.Testing;

namespace EditorBridge.Studio.Tests;

/// <summary>A studio's folder: the shared tokens file (alice, bob: users; boss: admin) and a state folder per daemon and client.</summary>
internal sealed class Studio : IDisposable
{
    private readonly TempDirectory folder = new("ebstudio");

    public Studio()
    {
        TokensFile = folder.File("tokens.json");
        var tokens = StudioTokens.Load(TokensFile);
        Alice = tokens.Add("alice", admin: false);
        Bob = tokens.Add("bob", admin: false);
        Boss = tokens.Add("boss", admin: true);
    }

    public string TokensFile { get; }

    public string Alice { get; }

    public string Bob { get; }

    public string Boss { get; }

    public IEnumerable<string> AllTokens => [Alice, Bob, Boss];

    /// <summary>A fresh folder inside the studio's.</summary>
    public string Folder(string name)
    {
        var path = folder.File(name);
        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose() => folder.Dispose();
}
