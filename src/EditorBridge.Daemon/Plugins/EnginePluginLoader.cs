using EditorBridge.Engines;
using EditorBridge.Daemon.Core;
using McMaster.NETCore.Plugins;

namespace EditorBridge.Daemon.Plugins;

/// <summary>
/// Loads engines from a folder with one sub-folder per plugin, each a build output with its
/// <c>*.deps.json</c> (needed to find native libraries). Each plugin gets its own load context;
/// only the engine contract assembly is shared with the daemon. A plugin that fails is
/// reported, never fatal.
/// </summary>
public static class EnginePluginLoader
{
    public static (List<LoadedEngine> Engines, List<PluginProblem> Problems) LoadAll(string directory, EngineEnvironment? environment = null)
    {
        environment ??= EngineEnvironments.For(new DaemonOptions());
        var engines = new List<LoadedEngine>();
        var problems = new List<PluginProblem>();
        if (!Directory.Exists(directory))
        {
            problems.Add(new PluginProblem(directory, "engines folder does not exist"));
            return (engines, problems);
        }

        foreach (var folder in Directory.GetDirectories(directory).Order(StringComparer.Ordinal))
            LoadFolder(folder, environment, engines, problems);
        return (engines, problems);
    }

    private static void LoadFolder(string folder, EngineEnvironment environment, List<LoadedEngine> engines, List<PluginProblem> problems)
    {
        var mains = Directory.GetFiles(folder, "*.deps.json")
            .Select(deps => deps[..^".deps.json".Length] + ".dll")
            .Where(File.Exists)
            .ToList();
        if (mains.Count == 0)
        {
            problems.Add(new PluginProblem(folder, "no engine assembly (expected NAME.dll beside NAME.deps.json)"));
            return;
        }

        foreach (var main in mains)
        {
            if (DepsFileCheck.Problem(main[..^".dll".Length] + ".deps.json") is { } damaged)
            {
                problems.Add(new PluginProblem(main, $"damaged plugin: {damaged}"));
                continue;
            }

            try
            {
                var found = LoadAssembly(main, environment);
                if (found.Count == 0)
                    problems.Add(new PluginProblem(main, $"no public type implements {nameof(IEngine)}"));
                engines.AddRange(found);
            }
            catch (Exception e)
            {
                problems.Add(new PluginProblem(main, $"{e.GetType().Name}: {e.Message}"));
            }
        }
    }

    private static List<LoadedEngine> LoadAssembly(string path, EngineEnvironment environment)
    {
        var loader = PluginLoader.CreateFromAssemblyFile(path, sharedTypes: [typeof(IEngine), typeof(EngineEnvironment)], config => config.PreferSharedTypes = true);
        var assembly = loader.LoadDefaultAssembly();
        var result = new List<LoadedEngine>();
        foreach (var type in assembly.GetExportedTypes().Where(t => typeof(IEngine).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false }))
        {
            var engine = (IEngine)Activator.CreateInstance(type)!;
            engine.Configure(environment);
            result.Add(new LoadedEngine(engine, engine.Describe(), path));
        }

        return result;
    }
}
