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
/// <param name="FinestIterations">Rounds on the finest level, where a round costs most (twice as many on the next, at most <paramref name="IterationsPerLevel"/>); 0: <paramref name="IterationsPerLevel"/> everywhere.</param>
/// <param name="SearchFinest">
/// false: the finest level is not searched; its matches are the next level's scaled up, and each hole pixel copies the
/// consensus of what they put there (<see cref="PatchVoting.VoteConsensus"/>, weighted by depth only). About a third
/// of the time of a fill whose finest level has one round; the next level, then the finest searched, gets <paramref name="FinestIterations"/>.
/// </param>
public sealed record ExemplarFillOptions(int PatchSize = 7, int IterationsPerLevel = 5, ulong Seed = 0, double Agreement = 0, int FinestIterations = 0, bool SearchFinest = true);
