using EditorBridge.Client;

namespace EditorBridge.PaintDotNet.Core;

/// <summary>
/// Finds the <c>editorbridge</c> program to start when no daemon runs. Paint.NET's own folder is
/// no help (the client library would look beside <c>PaintDotNet.exe</c>), so the plugin looks, in
/// order: the EDITORBRIDGE_DAEMON variable, the plugin's own folder, the per-user and machine-wide
/// install folders, and PATH.
/// </summary>
public sealed class DaemonLocator(IReadOnlyList<string> candidates)
{
    public IReadOnlyList<string> Candidates { get; } = candidates;

    /// <summary>The usual places on this machine.</summary>
    public static DaemonLocator Default()
    {
        var exe = OperatingSystem.IsWindows() ? "editorbridge.exe" : "editorbridge";
        var list = new List<string>();
        if (Environment.GetEnvironmentVariable(DaemonLauncher.DaemonVariable) is { Length: > 0 } fromVariable)
            list.Add(fromVariable);
        var pluginFolder = Path.GetDirectoryName(typeof(DaemonLocator).Assembly.Location);
        if (!string.IsNullOrEmpty(pluginFolder))
        {
            list.Add(Path.Combine(pluginFolder, exe));
            list.Add(Path.Combine(pluginFolder, "editorbridge.dll"));
        }

        if (OperatingSystem.IsWindows())
        {
            list.Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "Programs", "EditorBridge", exe));
            list.Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles), "EditorBridge", exe));
        }
        else
        {
            list.Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "bin", exe));
        }

        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            list.Add(Path.Combine(folder, exe));
        return new DaemonLocator(list);
    }

    /// <summary>The first candidate that exists; null when none does.</summary>
    public string? Find() => Candidates.FirstOrDefault(File.Exists);

    /// <summary>The places looked, for the "not installed" message (PATH entries summarised).</summary>
    public string Describe(int shown = 4)
    {
        var head = Candidates.Take(shown).ToList();
        var rest = Candidates.Count - head.Count;
        return string.Join("; ", head) + (rest > 0 ? $"; and {rest} folder(s) on PATH" : "");
    }
}
