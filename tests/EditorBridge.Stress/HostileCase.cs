namespace EditorBridge.Stress;

/// <summary>
/// One hostile request: how to send it, what the daemon must answer, and for answers that
/// succeed, a check of what came back (the painter's pixels).
/// </summary>
public sealed record HostileCase(int Index, string Family, string Side, string Description, Expectation Expected, Func<HostileTarget, CancellationToken, Task<Observed>> Send)
{
    /// <summary>Checks a successful answer; null when it is right, else what is wrong.</summary>
    public Func<HostileTarget, Observed, Task<string?>>? Verify { get; init; }

    public override string ToString() => $"#{Index} {Side} {Family}: {Description}";
}
