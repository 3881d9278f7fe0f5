namespace EditorBridge.ModelStore;

/// <summary>The result of checking an installed model's files against its manifest; each problem names the file.</summary>
public sealed record ModelVerification(string Name, IReadOnlyList<string> Problems)
{
    public bool IsIntact => Problems.Count == 0;
}
