namespace EditorBridge.Engines.Classic;

/// <summary>Settings for <see cref="ExemplarFill"/>.</summary>
/// <param name="PatchSize">Side of the square patches compared and copied; odd, 3 to 31.</param>
/// <param name="IterationsPerLevel">Search-and-vote rounds on each pyramid level; at least 1.</param>
/// <param name="Seed">Seed of the random search; the same seed gives the same fill.</param>
public sealed record ExemplarFillOptions(int PatchSize = 7, int IterationsPerLevel = 5, ulong Seed = 0);
