namespace EditorBridge.ModelStore.Pull;

/// <summary>
/// A finished pull: the installed manifest, the files whose hash was recorded on first use (to show the
/// user), whether the model was already installed so nothing was fetched, and the tensor names taken
/// from the model for a signature the catalog binds by position (to show the user too).
/// </summary>
public sealed record PullResult(
    ModelManifest Manifest,
    IReadOnlyList<FirstUseHash> FirstUseHashes,
    bool AlreadyInstalled,
    IReadOnlyList<SignatureNameTaken>? SignatureNamesTaken = null)
{
    public IReadOnlyList<SignatureNameTaken> SignatureNamesTaken { get; init; } = SignatureNamesTaken ?? [];
}
