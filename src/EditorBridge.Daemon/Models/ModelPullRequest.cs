namespace EditorBridge.Daemon.Models;

/// <summary>What PullModel asks for: a catalog model's name, a mirror (empty: the daemon's setting, else the publishers) and whether its licence is accepted.</summary>
public sealed record ModelPullRequest(string Name, string Mirror, bool AcceptLicence);
