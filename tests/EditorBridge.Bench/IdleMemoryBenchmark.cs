using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using EditorBridge.Client;
using EditorBridge.Testing;

namespace EditorBridge.Bench;

/// <summary>
/// The daemon process's resident memory while idle: at start, and one minute after a load run (20
/// fills of a 1024² photo over gRPC, then 10 round trips of a 2048² layer through the JSON side's
/// blobs, as Krita sends them). Goal: ≤ 120 MB idle at start, and within 1.5× of that after the load.
/// The real `editorbridge serve` process, so its GC settings (editorbridge.runtimeconfig.json) apply.
/// </summary>
internal static class IdleMemoryBenchmark
{
    public static async Task RunAsync(TimeSpan? settle = null)
    {
        var after = settle ?? TimeSpan.FromMinutes(1);
        Console.WriteLine($"\n## Daemon idle memory (RSS): at start, and {after.TotalSeconds:0} s after a load run");
        using var state = new TempDirectory("bench-idle");
        using var connection = await DaemonConnection.ConnectAsync(new ConnectOptions { StateDirectory = state.Path, DaemonCommand = Path.Combine(AppContext.BaseDirectory, "editorbridge.dll") });
        using var process = Process.GetProcessById(connection.Discovery.Pid);
        await connection.Client.GetInfoAsync();
        await Task.Delay(TimeSpan.FromSeconds(10));
        var start = Rss(process);
        var startParts = Parts(process.Id);

        var clock = Stopwatch.StartNew();
        var photo = TestPictures.Load("astronaut.png");
        var big = Scaled(photo, 2);
        for (int i = 0; i < 20; i++)
            await connection.Client.RunJobAsync(WireRequests.Fill(big, WireRequests.Rectangle(300, 300, 200, 200), "telea"));
        var peakGrpc = Rss(process);
        using var http = new HttpClient { BaseAddress = new Uri(connection.Discovery.HttpAddress) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", connection.Token);
        var huge = Scaled(photo, 4);
        for (int i = 0; i < 10; i++)
            await JsonFillAsync(http, huge);
        var peak = Math.Max(peakGrpc, Rss(process));
        var load = clock.Elapsed;

        await Task.Delay(after);
        var idle = Rss(process);
        var idleParts = Parts(process.Id);
        Console.WriteLine("| idle at start | peak during load | idle after | after / start | load run |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        Console.WriteLine($"| {start:0.0} MB | {peak:0.0} MB | {idle:0.0} MB | {idle / start:0.00}× | {load.TotalSeconds:0} s |");
        Console.WriteLine($"where it is (kB, /proc status): at start {startParts}; idle after {idleParts}");
        Console.WriteLine($"goal: ≤ 120 MB at start ({(start <= 120 ? "met" : "NOT met")}), ≤ 1.5× after ({(idle <= 1.5 * start ? "met" : "NOT met")})");
        if (Environment.GetEnvironmentVariable("EDITORBRIDGE_BENCH_SMAPS") is { Length: > 0 } dump)
            File.Copy($"/proc/{process.Id}/smaps", dump, overwrite: true);
        process.Kill();
        await process.WaitForExitAsync();
    }

    private static double Rss(Process process)
    {
        process.Refresh();
        return process.WorkingSet64 / 1e6;
    }

    // the resident memory's parts: anonymous (heaps, stacks, JIT code) and file-backed (libraries, assemblies)
    private static string Parts(int pid)
    {
        var lines = File.ReadAllLines($"/proc/{pid}/status");
        string Field(string name) => lines.FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal))?[(name.Length + 1)..].Trim() ?? "?";
        return $"anonymous {Field("RssAnon")}, files {Field("RssFile")}, shared memory {Field("RssShmem")}, threads {Field("Threads")}";
    }

    private static RgbaPicture Scaled(RgbaPicture picture, int factor)
    {
        int w = picture.Width * factor, h = picture.Height * factor;
        var rgba = new byte[w * h * 4];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                picture.Rgba.AsSpan(((y / factor) * picture.Width + x / factor) * 4, 4).CopyTo(rgba.AsSpan((y * w + x) * 4));
        return new RgbaPicture(w, h, rgba);
    }

    private static async Task JsonFillAsync(HttpClient http, RgbaPicture layer)
    {
        var content = new ByteArrayContent(layer.Rgba);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var put = JsonNode.Parse(await (await http.PostAsync("/v1/blobs", content)).Content.ReadAsStringAsync())!;
        var mask = new ByteArrayContent(Enumerable.Repeat((byte)255, 200 * 200).ToArray());
        mask.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var maskPut = JsonNode.Parse(await (await http.PostAsync("/v1/blobs", mask)).Content.ReadAsStringAsync())!;
        var job = new JsonObject
        {
            ["operation"] = "fill",
            ["layer"] = new JsonObject { ["width"] = layer.Width, ["height"] = layer.Height, ["format"] = "PIXEL_FORMAT_RGBA8", ["blobId"] = (string)put["blobId"]! },
            ["mask"] = new JsonObject { ["width"] = 200, ["height"] = 200, ["offsetX"] = 600, ["offsetY"] = 600, ["blobId"] = (string)maskPut["blobId"]! },
            ["parameters"] = new JsonObject { ["method"] = "telea" },
            ["resultDelivery"] = "RESULT_DELIVERY_BLOB",
            ["releaseBlobs"] = true,
        };
        var lines = (await (await http.PostAsync("/v1/jobs", new StringContent(job.ToJsonString(), Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var result = JsonNode.Parse(lines[^1])!["result"] ?? throw new InvalidOperationException("the JSON fill failed: " + lines[^1]);
        await http.GetByteArrayAsync($"/v1/blobs/{(string)result["layer"]!["blobId"]!}");
    }
}
