using EditorBridge.Installer.Host;

namespace EditorBridge.Installer.Tests;

/// <summary>No editors and no daemons running, unless a test says so.</summary>
internal sealed class FakeProcesses : IProcessProbe
{
    public Dictionary<string, List<int>> ByName { get; } = [];

    public List<int> Daemons { get; } = [];

    public List<int> Stopped { get; } = [];

    public IReadOnlyList<int> Running(string processName) => ByName.TryGetValue(processName, out var ids) ? ids : [];

    public IReadOnlyList<int> RunningFrom(string appDirectory) => Daemons.Except(Stopped).ToList();

    public bool Stop(int pid, TimeSpan grace)
    {
        Stopped.Add(pid);
        return true;
    }
}

/// <summary>HKEY_CURRENT_USER in memory, for the simulated Windows user.</summary>
internal sealed class FakeRegistry : IUserRegistry
{
    public Dictionary<string, Dictionary<string, RegistryValue>> Keys { get; } = new(StringComparer.OrdinalIgnoreCase);

    public int Broadcasts { get; private set; }

    public RegistryValue? Get(string key, string name) =>
        Keys.TryGetValue(key, out var values) && values.TryGetValue(name, out var v) ? v : null;

    public bool KeyExists(string key) => Keys.ContainsKey(key);

    public void Set(string key, string name, RegistryValue value)
    {
        if (!Keys.TryGetValue(key, out var values))
            Keys[key] = values = new Dictionary<string, RegistryValue>(StringComparer.OrdinalIgnoreCase);
        values[name] = value;
    }

    public void Delete(string key, string name)
    {
        if (Keys.TryGetValue(key, out var values))
            values.Remove(name);
    }

    public void DeleteKeyIfEmpty(string key)
    {
        if (Keys.TryGetValue(key, out var values) && values.Count == 0)
            Keys.Remove(key);
    }

    public void BroadcastEnvironmentChange() => Broadcasts++;

    /// <summary>A deep copy, to compare before and after.</summary>
    public string Dump() => string.Join("\n", Keys.OrderBy(k => k.Key).SelectMany(k => k.Value.OrderBy(v => v.Key).Select(v => $"{k.Key}\\{v.Key}={v.Value}")));
}

internal sealed class FakeCommands : ICommandRunner
{
    public List<string> Calls { get; } = [];

    public (bool Ok, string Output) Run(string program, params string[] arguments)
    {
        Calls.Add(program + " " + string.Join(' ', arguments));
        return (true, "");
    }
}
