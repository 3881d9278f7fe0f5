using EditorBridge.Installer.Editors;
using EditorBridge.Installer.Host;
using EditorBridge.Installer.Manifest;

namespace EditorBridge.Installer.Installation;

internal enum FileAction
{
    Add,
    Update,

    /// <summary>Something that is not ours (or that the user changed) is in the way: it is kept as NAME.editorbridge-backup.</summary>
    Replace,
    Unchanged,
}

internal sealed record FileStep(string Component, string Destination, string? SourceFile, byte[]? Content, string Sha256, long Size, bool Executable, FileAction Action, string? ExistingSha256)
{
    public bool Changes => Action != FileAction.Unchanged;
}

internal enum LinkAction
{
    Add,
    Update,
    Unchanged,

    /// <summary>A file or link of someone else's is there: left alone.</summary>
    Blocked,
}

internal sealed record LinkStep(string Component, string Path, string Target, LinkAction Action, string? OldTarget)
{
    public bool Changes => Action is LinkAction.Add or LinkAction.Update;
}

internal sealed record KritarcStep(string Path, string Krita, byte[]? Before, byte[] After, KritarcEdit Edit)
{
    public bool Changes => Before is null || !Before.AsSpan().SequenceEqual(After);
}

internal sealed record RegistryStep(RegistryEntry Entry, RegistryValue? Current)
{
    public bool Changes => Current != Entry.Value;
}

internal sealed record PathStep(string Folder, bool Changes);

/// <summary>A line of the plan shown to the painter: what goes where.</summary>
internal sealed record ComponentSummary(string Name, string Where, string Detail);

/// <summary>Everything one install run will do, worked out before anything changes.</summary>
internal sealed class InstallPlan
{
    public List<FileStep> Files { get; } = [];

    public List<LinkStep> Links { get; } = [];

    public List<KritarcStep> Kritarc { get; } = [];

    public List<RegistryStep> Registry { get; } = [];

    public List<PathStep> UserPath { get; } = [];

    /// <summary>Files of the last install that this one no longer has.</summary>
    public List<FileEntry> ObsoleteFiles { get; } = [];

    public List<LinkEntry> ObsoleteLinks { get; } = [];

    public List<KritarcEntry> ObsoleteKritarc { get; } = [];

    public List<RegistryEntry> ObsoleteRegistry { get; } = [];

    public List<string> ObsoleteUserPath { get; } = [];

    /// <summary>Folders this run creates, outermost first.</summary>
    public List<string> NewDirectories { get; } = [];

    public List<ComponentSummary> Components { get; } = [];

    /// <summary>What the painter does next (restart Krita, put ~/.local/bin on PATH, …).</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Daemons running from the program folder, stopped before its files change.</summary>
    public List<int> DaemonsToStop { get; } = [];

    public bool AutostartChosen { get; set; }

    public bool Changes =>
        Files.Any(f => f.Changes) || Links.Any(l => l.Changes) || Kritarc.Any(k => k.Changes) || Registry.Any(r => r.Changes)
        || UserPath.Any(p => p.Changes) || ObsoleteFiles.Count > 0 || ObsoleteLinks.Count > 0 || ObsoleteKritarc.Count > 0
        || ObsoleteRegistry.Count > 0 || ObsoleteUserPath.Count > 0;

    public long BytesToWrite => Files.Where(f => f.Changes).Sum(f => f.Size);
}
