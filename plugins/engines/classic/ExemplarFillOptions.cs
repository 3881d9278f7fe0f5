namespace EditorBridge.Engines.Classic;

/// <summary>Settings for <see cref="ExemplarFill"/>.</summary>
/// <param name="PatchSize">Side of the square patches compared and copied; odd, 3 to 31.</param>
/// <param name="IterationsPerLevel">Search-and-vote rounds on each pyramid level; at least 1.</param>
/// <param name="Seed">Seed of the random search; the same seed gives the same fill.</param>
/// <param name="Agreement">
/// How the last round decides each hole pixel. 0: a copy from the best-matched covering patch.
/// Above 0: the mean of the covering patches' candidates where they agree within this many levels
/// (root mean square over RGB), else the candidate closest to that mean (<see cref="PatchVoting.VoteAdaptive"/>).
/// </param>
/// <param name="FinestIterations">Rounds on the two finest levels, where a round costs most; 0: <paramref name="IterationsPerLevel"/>.</param>
public sealed record ExemplarFillOptions(int PatchSize = 7, int IterationsPerLevel = 5, ulong Seed = 0, double Agreement = 0, int FinestIterations = 0);
