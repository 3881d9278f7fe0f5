using System.Text.Json;
using EditorBridge.ModelStore.Catalog;
using EditorBridge.ModelStore.Pull;

namespace EditorBridge.ModelStore.Tests.Pull;

/// <summary>
/// This test assembly's entry point, for tests that need a pull in another process (killed mid-pull, or
/// started with proxy variables): <c>dotnet exec EditorBridge.ModelStore.Tests.dll pull STORE ENTRY.json</c>.
/// Prints "progress N" lines, then "installed IDENTITY" (exit 0) or "failed FAILURE: message" (exit 1).
/// </summary>
public static class PullChild
{
    public static async Task<int> Main(string[] args)
    {
        if (args is not ["pull", var store, var entryFile])
        {
            await Console.Error.WriteLineAsync("usage: pull STORE ENTRY.json");
            return 2;
        }

        var entry = JsonSerializer.Deserialize<CatalogEntry>(await File.ReadAllTextAsync(entryFile), ModelManifest.JsonOptions)!;
        var options = new PullOptions { StallTimeout = TimeSpan.FromSeconds(60), Attempts = 1, FreeSpaceMargin = 0, ProgressInterval = TimeSpan.Zero };
        using var http = ModelPull.CreateHttpClient();
        try
        {
            var result = await new ModelPull(new ModelStore(store), http).PullAsync(entry, options, new SynchronousProgress(p => Console.WriteLine($"progress {p.BytesDone}")));
            Console.WriteLine($"installed {result.Manifest.Identity()}");
            return 0;
        }
        catch (PullException e)
        {
            Console.WriteLine($"failed {e.Failure}: {e.Message}");
            return 1;
        }
    }
}
