namespace EditorBridge.ModelStore;

/// <summary>A model in the store: its manifest, its folder and its identity (see <see cref="ModelManifest.Identity"/>).</summary>
public sealed record InstalledModel(ModelManifest Manifest, string Directory, string Identity)
{
    public string Name => Manifest.Name;

    internal static InstalledModel From(ModelManifest manifest, string directory) => new(manifest, directory, manifest.Identity());
}
