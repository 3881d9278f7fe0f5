using System.Globalization;

namespace EditorBridge.Engines.Diffusion.Runtime;

/// <summary>
/// How much memory a job may use: <c>EDITORBRIDGE_DIFFUSION_MEMORY_MB</c> when set (a cap the user
/// chooses, also what tests use), else the memory the system reports available now.
/// </summary>
internal static class MemoryBudget
{
    public const string Variable = "EDITORBRIDGE_DIFFUSION_MEMORY_MB";

    public static (long Bytes, string Source) Available()
    {
        var cap = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(cap) && double.TryParse(cap, NumberStyles.Float, CultureInfo.InvariantCulture, out var mb) && mb > 0)
            return ((long)(mb * 1024 * 1024), Variable);
        if (MemAvailable() is { } linux)
            return (linux, "available memory");
        var info = GC.GetGCMemoryInfo();
        return (Math.Max(0, info.TotalAvailableMemoryBytes - info.MemoryLoadBytes), "available memory");
    }

    // Linux: MemAvailable counts reclaimable cache, which GC.GetGCMemoryInfo does not.
    private static long? MemAvailable()
    {
        const string path = "/proc/meminfo";
        if (!OperatingSystem.IsLinux() || !File.Exists(path))
            return null;
        foreach (var line in File.ReadLines(path))
        {
            if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.TryParse(parts[1], CultureInfo.InvariantCulture, out var kb) ? kb * 1024 : null;
        }

        return null;
    }
}
