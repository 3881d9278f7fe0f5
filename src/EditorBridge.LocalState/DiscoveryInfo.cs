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
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    [JsonIgnore]
    public string GrpcAddress => $"http://127.0.0.1:{GrpcPort}";

    [JsonIgnore]
    public string HttpAddress => $"http://127.0.0.1:{HttpPort}";

    /// <summary>Writes atomically (temp file + rename) so readers never see half a file.</summary>
    public void Write(string path)
    {
        var temp = path + $".{Environment.ProcessId}.tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, Json));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads the file; null when it is missing or unreadable.</summary>
    public static DiscoveryInfo? TryRead(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<DiscoveryInfo>(File.ReadAllText(path));
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
