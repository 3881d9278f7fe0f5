using System.Security.Cryptography;
using EditorBridge.ModelStore.Catalog;
using EditorBridge.ModelStore.Pull;
using EditorBridge.Testing;

namespace EditorBridge.ModelStore.Tests.Pull;

/// <summary>
/// A store in a temp folder, a loopback file server, and a <see cref="ModelPull"/> with short timeouts:
/// everything a download test needs. Files are random bytes made from a seed.
/// </summary>
internal sealed class PullTestBed : IAsyncDisposable
{
    private readonly TempDirectory folder = new("pull");
    private readonly HttpClient http = ModelPull.CreateHttpClient();

    private PullTestBed()
    {
        Store = new ModelStore(Path.Combine(folder.Path, "models"));
        Directory.CreateDirectory(Store.Root);
        Pull = new ModelPull(Store, http);
    }

    public LoopbackFileServer Server { get; } = LoopbackFileServer.Start();

    public ModelStore Store { get; }

    public ModelPull Pull { get; }

    public string Scratch => folder.Path;

    /// <summary>
    /// Short retry delays so fault tests finish quickly; no free-space margin. The stall timeout leaves
    /// room for a cold first request on a busy machine (tests of stalls shorten it).
    /// </summary>
    public PullOptions Options { get; init; } = new()
    {
        StallTimeout = TimeSpan.FromSeconds(3),
        Attempts = 3,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        FreeSpaceMargin = 0,
        ProgressInterval = TimeSpan.Zero,
    };

    public static PullTestBed Start() => new();

    public static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Serves each file under /publisher/&lt;model&gt;/ and returns a catalog entry for them with published sizes and hashes.</summary>
    public CatalogEntry Publish(string name, params (string Path, byte[] Content)[] files) =>
        Entry(name, files.Select(f => ServeAndDescribe(name, f.Path, f.Content, publishHash: true)).ToList());

    public CatalogFile ServeAndDescribe(string model, string path, byte[] content, bool publishHash = true, bool publishSize = true)
    {
        var url = Server.Url($"/publisher/{model}/{path}").AbsoluteUri;
        Server.Serve($"/publisher/{model}/{path}", content);
        return new CatalogFile(
            path,
            url,
            publishSize ? content.Length : null,
            publishHash ? Sha256(content) : null,
            publishSize ? null : content.Length + 1000);
    }

    public static CatalogEntry Entry(string name, IReadOnlyList<CatalogFile> files, ModelLicence? licence = null) => new(
        name,
        ModelKind.Style,
        "1",
        "a test model",
        licence ?? new ModelLicence("MIT"),
        ["stylize"],
        files,
        ["https://example.org/source"]);

    public string DownloadFolder(string model) => Path.Combine(Pull.DownloadsDirectory, model);

    public string PartFile(string model, string path) => Path.Combine(DownloadFolder(model), path) + ".part";

    public Task<PullResult> PullAsync(CatalogEntry entry, PullOptions? options = null, IProgress<PullProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Pull.PullAsync(entry, options ?? Options, progress, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await Server.DisposeAsync();
        folder.Dispose();
    }
}
