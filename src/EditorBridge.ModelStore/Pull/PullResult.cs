namespace EditorBridge.ModelStore.Pull;

/// <summary>
/// A finished pull: the installed manifest, the files whose hash was recorded on first use (to show the
/// user), and whether the model was already installed so nothing was fetched.
/// </summary>
public sealed record PullResult(ModelManifest Manifest, IReadOnlyList<FirstUseHash> FirstUseHashes, bool AlreadyInstalled);
