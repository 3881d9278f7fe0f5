using System.Security.Cryptography;
using EditorBridge.ModelStore;
using EditorBridge.ModelStore.Catalog;
using EditorBridge.ModelStore.Pull;
using EditorBridge.Testing;

namespace EditorBridge.Bench;

/// <summary>
/// <c>dotnet run -c Release --project tests/EditorBridge.Bench -- download</c>: a model pull from the
/// loopback file server (HTTP, SHA-256 while writing, staging, install) as a ratio to a plain file copy
/// of the same bytes on the same disk, and to a bare HttpClient download of them into a file, all
/// measured in this run.
/// </summary>
internal static class DownloadBenchmark
{
    private static readonly int[] SizesMiB = [32, 128];

    public static async Task RunAsync()
    {
        Console.WriteLine($"\n## Model pull from a loopback HTTP server vs a plain file copy of the same bytes (medians of 3, {Environment.ProcessorCount} cores)");
        Console.WriteLine("| size | file copy ms | bare HTTP GET to file ms | pull ms | pull ÷ copy | pull ÷ bare GET | pull MB/s |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
        await using var server = LoopbackFileServer.Start();
        using var http = ModelPull.CreateHttpClient();
        foreach (var mib in SizesMiB)
        {
            using var folder = new TempDirectory("bench-dl");
            var bytes = new byte[mib << 20];
            new Random(mib).NextBytes(bytes);
            server.Serve($"/m{mib}/weights.bin", bytes).ChunkSize = 1 << 20;
            var source = folder.File("source.bin");
            await File.WriteAllBytesAsync(source, bytes);

            var copy = await Measure.MedianMsAsync(3, () => CopyAsync(source, folder.File("copy.bin")));
            var bare = await Measure.MedianMsAsync(3, () => BareGetAsync(http, server.Url($"/m{mib}/weights.bin"), folder.File("bare.bin")));
            var entry = Entry(mib, server, bytes);
            var store = new ModelStore.ModelStore(folder.File("models"));
            var pull = new ModelPull(store, http);
            var pulled = await PullMedianMsAsync(store, pull, entry);
            Console.WriteLine($"| {mib} MiB | {copy:0} | {bare:0} | {pulled:0} | {pulled / copy:0.0}× | {pulled / bare:0.0}× | {bytes.Length / 1e6 / (pulled / 1000):0} |");
        }
    }

    /// <summary>Like <see cref="Measure.MedianMsAsync"/>, with the installed model removed before each timed pull.</summary>
    private static async Task<double> PullMedianMsAsync(ModelStore.ModelStore store, ModelPull pull, CatalogEntry entry)
    {
        var times = new List<double>();
        for (int i = 0; i < 4; i++)
        {
            if (store.Find(entry.Name) is not null)
                store.Remove(entry.Name);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await pull.PullAsync(entry, new PullOptions());
            if (i > 0)
                times.Add(clock.Elapsed.TotalMilliseconds); // the first is the warm-up
        }

        times.Sort();
        return times[times.Count / 2];
    }

    private static Task CopyAsync(string source, string target)
    {
        File.Copy(source, target, overwrite: true);
        return Task.CompletedTask;
    }

    private static async Task BareGetAsync(HttpClient http, Uri url, string target)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        await using var file = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
        await body.CopyToAsync(file, 1 << 20);
    }

    private static CatalogEntry Entry(int mib, LoopbackFileServer server, byte[] bytes) => new(
        $"bench-{mib}",
        ModelKind.Style,
        "1",
        "download benchmark",
        new ModelLicence("MIT"),
        ["stylize"],
        [new CatalogFile("weights.bin", server.Url($"/m{mib}/weights.bin").AbsoluteUri, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)))],
        ["https://example.org"]);
}
