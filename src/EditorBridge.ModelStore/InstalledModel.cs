namespace EditorBridge.ModelStore;

/// <summary>A model in the store: its manifest, its folder and its identity (see <see cref="ModelManifest.Identity"/>).</summary>
public sealed record InstalledModel(ModelManifest Manifest, string Directory, string Identity)
{
    public string Name => Manifest.Name;

    /// <summary>Tensor names this install took from the model's graph (a signature bound by position); empty otherwise.</summary>
    public IReadOnlyList<SignatureNameTaken> SignatureNamesTaken { get; init; } = [];

    internal static InstalledModel From(ModelManifest manifest, string directory) => new(manifest, directory, manifest.Identity());
}
