namespace EditorBridge.Stress;

/// <summary>One fault and how the daemon (and the client library) came through it.</summary>
public sealed record FaultOutcome(string Fault, bool Survived, string Detail, TimeSpan? Recovery = null)
{
    public override string ToString() => $"{(Survived ? "survived" : "NOT SURVIVED")}: {Fault}: {Detail}{(Recovery is { } r ? $" (recovered in {r.TotalMilliseconds:0} ms)" : "")}";
}
