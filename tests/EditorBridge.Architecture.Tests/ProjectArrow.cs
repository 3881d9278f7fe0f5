namespace EditorBridge.Architecture.Tests;

/// <summary>
/// One project naming another: <paramref name="BuildOnly"/> when the other's build output is only
/// copied (<c>ReferenceOutputAssembly="false"</c>, e.g. the engines the CLI bundles), not referenced.
/// </summary>
public sealed record ProjectArrow(string From, string To, bool BuildOnly)
{
    public override string ToString() => $"{From} -> {To}{(BuildOnly ? " (build only)" : "")}";
}
