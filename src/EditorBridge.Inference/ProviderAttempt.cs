namespace EditorBridge.Inference;

/// <summary>One provider tried while opening a session: whether it worked and, if not, why.</summary>
public sealed record ProviderAttempt(ExecutionProvider Provider, bool Succeeded, string Reason = "");
