using System.IO.MemoryMappedFiles;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using EditorBridge.Stress.Faults;

namespace EditorBridge.Stress;

/// <summary>
/// The shared-memory promises on a real daemon process, as a hostile local client tries them: a
/// region is named by the daemon's id, never a path; a planted file or a link is never read or
/// written; references are checked against the region; only token holders get regions; and
/// clients that go away mid-job leave no region file and no mapping in the daemon.
/// </summary>
public static class PixelRegionChecks
{
    private const int Side = 32;
    private const int LayerBytes = Side * Side * 4;

    public static async Task<SecurityCheck> HoldAsync(DaemonProcess daemon, int clientsGone = 200)
    {
        const string promise = "pixel regions: named by id only, checked, owner-only, token-only, freed with their jobs and connections";
        if (!OperatingSystem.IsLinux())
            return new SecurityCheck(promise, true, "not checked (needs /proc)");
        var problems = new List<string>();
        var folder = daemon.Paths.RegionsDirectory;

        foreach (var name in new[] { "../token", "/etc/passwd", "rgn-../../daemon.json" })
        {
            var (status, message) = await RunAsync(daemon, Job(name, 0, LayerBytes));
            if (status != 400 || !message.Contains("is not a region id", StringComparison.Ordinal))
                problems.Add($"region '{name}': {status} {message}");
        }

        var planted = Path.Combine(folder, "px-planted");
        await File.WriteAllBytesAsync(planted, new byte[LayerBytes]);
        var unknown = await RunAsync(daemon, Job("rgn-000000000000000000000000", 0, LayerBytes));
        File.Delete(planted);
        if (unknown.Status != 404)
            problems.Add($"an id the daemon never gave: {unknown.Status} {unknown.Message}");

        var (id, path) = await CreateAsync(daemon.Http, LayerBytes);
        if (File.GetUnixFileMode(path) != (UnixFileMode.UserRead | UnixFileMode.UserWrite)
            || File.GetUnixFileMode(folder) != (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute))
            problems.Add($"modes: file {File.GetUnixFileMode(path)}, folder {File.GetUnixFileMode(folder)}");
        var outside = await RunAsync(daemon, Job(id, LayerBytes / 2, LayerBytes));
        if (outside.Status != 400 || !outside.Message.Contains("outside the region", StringComparison.Ordinal))
            problems.Add($"a reference past the region's end: {outside.Status} {outside.Message}");

        var victim = Path.Combine(daemon.Paths.StateDirectory, "victim.raw");
        var original = Enumerable.Range(0, LayerBytes).Select(i => (byte)i).ToArray();
        await File.WriteAllBytesAsync(victim, original);
        File.Delete(path);
        File.CreateSymbolicLink(path, victim);
        var swapped = Job(id, 0, LayerBytes);
        swapped["resultRegion"] = Place(id, 0, LayerBytes);
        var linked = await RunAsync(daemon, swapped);
        if (linked.Status != 200 || !(await File.ReadAllBytesAsync(victim)).SequenceEqual(original))
            problems.Add($"a region file swapped for a link: {linked.Status} {linked.Message}; victim intact: {(await File.ReadAllBytesAsync(victim)).SequenceEqual(original)}");
        await daemon.Http.DeleteAsync($"/v1/regions/{id}");
        File.Delete(victim);

        using (var stranger = new HttpClient { BaseAddress = daemon.Http.BaseAddress })
        {
            var refused = await stranger.PostAsync("/v1/regions", new StringContent("{\"sizeBytes\":\"4096\"}", Encoding.UTF8, "application/json"));
            if (refused.StatusCode != HttpStatusCode.Unauthorized)
                problems.Add($"a region without the token: {(int)refused.StatusCode}");
        }

        await GoneMidJobAsync(daemon, clientsGone);
        var (files, mappings) = await SettledLeftoversAsync(daemon);
        if (files != 0 || mappings != 0)
            problems.Add($"{clientsGone} clients gone mid-job left {files} region file(s) and {mappings} mapping(s)");
        return new SecurityCheck(promise, problems.Count == 0,
            problems.Count == 0 ? $"path-like ids, a planted file, an out-of-range reference, a swapped link and a token-less client refused; {clientsGone} clients gone mid-job left no file and no mapping" : string.Join("; ", problems));
    }

    // Half close their connection with a job running on the region; half make a region and leave.
    private static async Task GoneMidJobAsync(DaemonProcess daemon, int clients)
    {
        await Parallel.ForAsync(0, clients, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            using var http = new HttpClient { BaseAddress = daemon.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Authorization = daemon.Http.DefaultRequestHeaders.Authorization;
            var (id, path) = await CreateAsync(http, LayerBytes);
            if (i % 2 == 1)
                return;
            using (var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.ReadWrite))
            using (var view = file.CreateViewAccessor(0, LayerBytes))
                view.Write(0, (byte)i);
            var job = Job(id, 0, LayerBytes);
            job["operation"] = FaultOperations.Slow;
            job["parameters"] = new JsonObject { ["steps"] = 1000, ["step_ms"] = 5 };
            job["resultRegion"] = Place(id, 0, LayerBytes);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/jobs") { Content = new StringContent(job.ToJsonString(), Encoding.UTF8, "application/json") };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            await using var stream = await response.Content.ReadAsStreamAsync();
            await stream.ReadAtLeastAsync(new byte[64].AsMemory(), minimumBytes: 1, throwOnEndOfStream: false); // the first event: the job is on; then the client goes
        });
    }

    private static async Task<(int Files, int Mappings)> SettledLeftoversAsync(DaemonProcess daemon)
    {
        var leftovers = (Files: -1, Mappings: -1);
        for (int i = 0; i < 200 && leftovers != (0, 0); i++)
        {
            await Task.Delay(i == 0 ? 0 : 100);
            var folder = daemon.Paths.RegionsDirectory;
            leftovers = (Directory.GetFileSystemEntries(folder).Length,
                File.ReadLines($"/proc/{daemon.Pid}/maps").Count(l => l.Contains(folder, StringComparison.Ordinal)));
        }

        return leftovers;
    }

    private static async Task<(string Id, string Path)> CreateAsync(HttpClient http, long size)
    {
        var response = await http.PostAsJsonAsync("/v1/regions", new { sizeBytes = size.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return ((string)json["regionId"]!, (string)json["path"]!);
    }

    private static async Task<(int Status, string Message)> RunAsync(DaemonProcess daemon, JsonObject job)
    {
        var response = await daemon.Http.PostAsync("/v1/jobs", new StringContent(job.ToJsonString(), Encoding.UTF8, "application/json"));
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var last = lines.Length == 0 ? null : JsonNode.Parse(lines[^1]);
        return ((int)response.StatusCode, (string?)last?["message"] ?? (last?["result"] is null ? "" : "result"));
    }

    private static JsonObject Place(string id, long offset, long length) => new() { ["regionId"] = id, ["offset"] = offset.ToString(System.Globalization.CultureInfo.InvariantCulture), ["length"] = length.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    private static JsonObject Job(string id, long offset, long length) => new()
    {
        ["operation"] = FaultOperations.Echo,
        ["layer"] = new JsonObject { ["width"] = Side, ["height"] = Side, ["format"] = "PIXEL_FORMAT_RGBA8", ["region"] = Place(id, offset, length) },
        ["resultDelivery"] = "RESULT_DELIVERY_BLOB",
        ["releaseBlobs"] = false,
    };
}
