namespace EditorBridge.Engines.Classic;

/// <summary>Runs the search-and-vote rounds on each pyramid level, coarsest first, handing matches down.</summary>
internal sealed class LevelSolver
{
    private readonly ExemplarFillOptions _options;
    private readonly Action<int, int>? _progress;
    private readonly CancellationToken _cancellationToken;
    private readonly XorShiftRandom _random;
    private readonly int _total;
    private readonly int _levelCount;
    private int _done;

    public LevelSolver(ExemplarFillOptions options, int levelCount, Action<int, int>? progress, CancellationToken cancellationToken)
    {
        _options = options;
        _progress = progress;
        _cancellationToken = cancellationToken;
        _random = new XorShiftRandom(options.Seed);
        _levelCount = levelCount;
        for (int i = 0; i < levelCount; i++)
            _total += Iterations(i);
    }

    /// <summary>Fills the hole of every level, leaving the result in the finest level's pixels; returns the finest level's matches.</summary>
    public NearestNeighbourField Solve(IReadOnlyList<PyramidLevel> levels)
    {
        NearestNeighbourField? coarser = null;
        for (int i = levels.Count - 1; i >= 0; i--)
            coarser = SolveLevel(levels[i], coarser, i);
        return coarser!;
    }

    // An unsearched finest level needs a coarser one to take the matches from.
    private bool CopiesFinest => !_options.SearchFinest && _levelCount > 1;

    // The two finest levels cost 15/16 of the time; they start from the coarser levels' converged matches,
    // so the finest gets FinestIterations rounds and the next twice that. Where the finest level is not searched it
    // counts as one step (its copy), and the next, now the finest searched, gets FinestIterations.
    private int Iterations(int levelIndex) =>
        levelIndex == 0 && CopiesFinest ? 1
        : _options.FinestIterations <= 0 || levelIndex > 1 ? _options.IterationsPerLevel
        : Math.Min(_options.IterationsPerLevel, CopiesFinest ? _options.FinestIterations : _options.FinestIterations << levelIndex);

    private NearestNeighbourField SolveLevel(PyramidLevel level, NearestNeighbourField? coarser, int levelIndex)
    {
        var field = new NearestNeighbourField(level, _random);
        var voting = new PatchVoting(level);
        if (coarser is null)
        {
            OnionPeelSynthesis.Fill(level, _random, _cancellationToken);
            field.InitialiseRandomly();
        }
        else
        {
            field.InitialiseFrom(coarser);
            if (levelIndex == 0 && CopiesFinest)
            {
                // the coarser level's matches scaled up say what belongs in each hole pixel; the consensus copy keeps
                // the picture's fine grain, which the scaled-up matches carry, without a search at full size
                voting.VoteConsensus(field, _cancellationToken, uniform: true);
                _progress?.Invoke(++_done, _total);
                return field;
            }
            voting.Vote(field, uniform: true, _cancellationToken);
        }
        int iterations = Iterations(levelIndex);
        for (int iteration = 0; iteration < iterations; iteration++)
        {
            field.RefreshCosts(_cancellationToken);
            field.Improve(reverse: false, _cancellationToken);
            field.Improve(reverse: true, _cancellationToken);
            // Averaging overlapping patches always blurs a little; the very last round copies instead (Newson et al.).
            if (levelIndex == 0 && iteration == iterations - 1)
            {
                if (_options.Agreement > 0)
                    voting.VoteAdaptive(field, (float)_options.Agreement, _cancellationToken);
                else
                    voting.VoteBest(field, _cancellationToken);
            }
            else
                voting.Vote(field, uniform: false, _cancellationToken);
            _progress?.Invoke(++_done, _total);
        }
        return field;
    }
}
