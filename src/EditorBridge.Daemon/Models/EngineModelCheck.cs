using EditorBridge.Daemon.Plugins;
using EditorBridge.ModelStore;

namespace EditorBridge.Daemon.Models;

/// <summary>
/// The check the store runs on a staged model before it becomes visible (pass <see cref="Check"/>
/// to ModelStore.Install or ModelImport.Import): every loaded engine's CheckModel for the kind in
/// the staged manifest.json, each problem prefixed with the engine's name.
/// </summary>
public sealed class EngineModelCheck(EngineCatalog catalog)
{
    public IReadOnlyList<string> Check(string stagedDirectory)
    {
        var kind = ModelManifest.Load(stagedDirectory).Kind;
        return [.. catalog.Engines.SelectMany(engine => Check(engine, stagedDirectory, kind))];
    }

    private static IEnumerable<string> Check(LoadedEngine engine, string directory, string kind)
    {
        IReadOnlyList<string> problems;
        try
        {
            problems = engine.Engine.CheckModel(directory, kind);
        }
        catch (Exception e)
        {
            problems = [$"the check itself failed: {e.GetType().Name}: {e.Message}"];
        }

        return problems.Select(p => $"{engine.Name}: {p}");
    }
}
