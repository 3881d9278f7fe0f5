using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using EditorBridge.ModelStore.Catalog;

namespace EditorBridge.ModelStore.Tests.Pull;

/// <summary>A pull running in a child process (<see cref="PullChild"/>), with its output lines and a clean environment for proxy variables.</summary>
internal sealed class ChildPull : IDisposable
{
    private static readonly string[] ProxyVariables = ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"];

    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();

    private ChildPull(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                lines.Enqueue(e.Data);
        };
        process.BeginOutputReadLine();
    }

    public IReadOnlyList<string> Lines => [.. lines];

    public static ChildPull Start(string store, CatalogEntry entry, string scratch, IReadOnlyDictionary<string, string>? environment = null)
    {
        var entryFile = Path.Combine(scratch, $"{entry.Name}-{Guid.NewGuid():N}.json");
        File.WriteAllText(entryFile, JsonSerializer.Serialize(entry, ModelManifest.JsonOptions));
        var start = new ProcessStartInfo(DotNet, ["exec", typeof(PullChild).Assembly.Location, "pull", store, entryFile])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var name in ProxyVariables)
            start.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        return new ChildPull(Process.Start(start)!);
    }

    /// <summary>Waits for the child to end and returns its exit code.</summary>
    public async Task<int> ExitAsync()
    {
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        process.WaitForExit(); // drains the output
        return process.ExitCode;
    }

    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        process.Dispose();
    }

    private static string DotNet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
}
