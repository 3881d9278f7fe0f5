namespace EditorBridge.Testing;

/// <summary>How close a result must stay to its golden image (<see cref="ImageAssert.MatchesGolden"/>); each use says why.</summary>
public sealed record GoldenTolerance(double MinPsnr, double MinSsim);
