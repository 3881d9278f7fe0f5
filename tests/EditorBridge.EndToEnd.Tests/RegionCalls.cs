using System.IO.MemoryMappedFiles;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using EditorBridge.Daemon.Blobs;
using EditorBridge.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EditorBridge.EndToEnd.Tests;

/// <summary>Pixel regions as a JSON client (the Krita bridge) uses them: make one, map it, name it in a job.</summary>
internal static class RegionCalls
{
    public static PixelRegions Regions(this RunningDaemon daemon) => daemon.Host.Services.GetRequiredService<PixelRegions>();

    public static BlobStore Blobs(this RunningDaemon daemon) => daemon.Host.Services.GetRequiredService<BlobStore>();

    public static async Task<(string Id, string Path)> CreateAsync(HttpClient http, long size)
    {
        var response = await http.PostAsJsonAsync("/v1/regions", new { sizeBytes = size });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var json = JsonNode.Parse(body)!;
        return ((string)json["regionId"]!, (string)json["path"]!);
    }

    public static void Write(string path, long offset, byte[] bytes)
    {
        using var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.ReadWrite);
        using var view = file.CreateViewAccessor(offset, bytes.Length);
        view.WriteArray(0, bytes, 0, bytes.Length);
    }

    public static JsonObject Place(string id, long offset, long length) => new() { ["regionId"] = id, ["offset"] = offset, ["length"] = length };

    public static JsonObject Layer(int side, string format, JsonObject region) => new()
    {
        ["width"] = side, ["height"] = side, ["format"] = format, ["region"] = region,
    };

    /// <summary>Posts a job; returns the HTTP status and the last line (the result or the error).</summary>
    public static async Task<(int Status, JsonNode Last)> RunAsync(HttpClient http, JsonObject job)
    {
        var response = await http.PostAsync("/v1/jobs", new StringContent(job.ToJsonString(), Encoding.UTF8, "application/json"));
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return ((int)response.StatusCode, JsonNode.Parse(lines[^1])!);
    }

    /// <summary>The region files left in the daemon's folder, and the mappings of that folder this process holds (the daemon runs in it).</summary>
    public static (int Files, int Mappings) Leftovers(RunningDaemon daemon)
    {
        var folder = daemon.Regions().Directory;
        int files = Directory.Exists(folder) ? Directory.GetFileSystemEntries(folder).Length : 0;
        int mappings = File.ReadLines("/proc/self/maps").Count(l => l.Contains(folder, StringComparison.Ordinal));
        return (files, mappings);
    }
}
