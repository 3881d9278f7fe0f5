namespace EditorBridge.Engines.Classic;

/// <summary>Runs the search-and-vote rounds on each pyramid level, coarsest first, handing matches down.</summary>
internal sealed class LevelSolver
{
    private readonly ExemplarFillOptions _options;
    private readonly Action<int, int>? _progress;
    private readonly CancellationToken _cancellationToken;
    private readonly XorShiftRandom _random;
    private readonly int _total;
    private int _done;
    private PyramidLevel? _finest;

    public LevelSolver(ExemplarFillOptions options, int levelCount, Action<int, int>? progress, CancellationToken cancellationToken)
    {
        _options = options;
        _progress = progress;
        _cancellationToken = cancellationToken;
        _random = new XorShiftRandom(options.Seed);
        _total = levelCount * options.IterationsPerLevel;
    }

    /// <summary>Fills the hole of every level, leaving the result in the finest level's pixels.</summary>
    public void Solve(IReadOnlyList<PyramidLevel> levels)
    {
        _finest = levels[0];
        NearestNeighbourField? coarser = null;
        for (int i = levels.Count - 1; i >= 0; i--)
            coarser = SolveLevel(levels[i], coarser);
    }

    private NearestNeighbourField SolveLevel(PyramidLevel level, NearestNeighbourField? coarser)
    {
        var field = new NearestNeighbourField(level, _random);
        var voting = new PatchVoting(level.Width, level.Height);
        if (coarser is null)
        {
            OnionPeelSynthesis.Fill(level, _random, _cancellationToken);
            field.InitialiseRandomly();
        }
        else
        {
            field.InitialiseFrom(coarser);
            voting.Vote(field, uniform: true, _cancellationToken);
        }
        for (int iteration = 0; iteration < _options.IterationsPerLevel; iteration++)
        {
            field.RefreshCosts(_cancellationToken);
            field.Improve(reverse: false, _cancellationToken);
            field.Improve(reverse: true, _cancellationToken);
            // Averaging overlapping patches always blurs a little; the very last round copies instead (Newson et al.).
            if (level == _finest && iteration == _options.IterationsPerLevel - 1)
                voting.VoteBest(field, _cancellationToken);
            else
                voting.Vote(field, uniform: false, _cancellationToken);
            _progress?.Invoke(++_done, _total);
        }
        return field;
    }
}
