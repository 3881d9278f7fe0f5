using System.Text.Json;

namespace EditorBridge.Daemon.Plugins;

/// <summary>
/// Checks a plugin's <c>*.deps.json</c> before the runtime's native host reads it: a file
/// without <c>runtimeTarget</c> (for example "{}") makes the host abort the whole process
/// (std::logic_error in hostpolicy), so a damaged plugin would take the daemon down.
/// </summary>
public static class DepsFileCheck
{
    /// <summary>Why the file cannot be used, or null when it looks like a real deps file.</summary>
    public static string? Problem(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("runtimeTarget", out var target)
                || target.ValueKind != JsonValueKind.Object
                || !target.TryGetProperty("name", out var name)
                || name.ValueKind != JsonValueKind.String)
                return $"{Path.GetFileName(path)} has no runtimeTarget.name";
            if (!root.TryGetProperty("targets", out var targets)
                || targets.ValueKind != JsonValueKind.Object
                || !targets.TryGetProperty(name.GetString()!, out _))
                return $"{Path.GetFileName(path)} has no targets entry for '{name.GetString()}'";
            if (!root.TryGetProperty("libraries", out var libraries) || libraries.ValueKind != JsonValueKind.Object)
                return $"{Path.GetFileName(path)} has no libraries";
            return null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return $"{Path.GetFileName(path)} is not valid JSON: {e.Message}";
        }
    }
}
