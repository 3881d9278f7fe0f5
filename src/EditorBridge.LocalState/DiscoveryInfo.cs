using System.Text.Json;
using System.Text.Json.Serialization;

namespace EditorBridge.LocalState;

/// <summary>What the discovery file says about the running daemon.</summary>
public sealed record DiscoveryInfo(
    [property: JsonPropertyName("grpc_port")] int GrpcPort,
    [property: JsonPropertyName("http_port")] int HttpPort,
    [property: JsonPropertyName("pid")] int Pid,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("started_unix_ms")] long StartedUnixMs)
{
    [JsonIgnore]
    public string GrpcAddress => $"http://127.0.0.1:{GrpcPort}";

    [JsonIgnore]
    public string HttpAddress => $"http://127.0.0.1:{HttpPort}";

    /// <summary>Writes atomically (temp file + rename) so readers never see half a file.</summary>
    public void Write(string path)
    {
        var temp = path + $".{Environment.ProcessId}.tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, DiscoveryJson.Default.DiscoveryInfo));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads the file; null when it is missing or unreadable.</summary>
    public static DiscoveryInfo? TryRead(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), DiscoveryJson.Default.DiscoveryInfo);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>True when the process the file names is alive (a stale file outlives a killed daemon).</summary>
    public bool ProcessIsAlive()
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(Pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

/// <summary>
/// The discovery file's JSON, generated at build time: every client reads it on every command,
/// and reflection-based serialization cost a CLI command ~40 ms of CPU (docs/benchmarks.md).
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(DiscoveryInfo))]
internal sealed partial class DiscoveryJson : JsonSerializerContext;
