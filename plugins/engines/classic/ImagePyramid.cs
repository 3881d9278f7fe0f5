namespace EditorBridge.Engines.Classic;

/// <summary>Builds the coarse-to-fine stack of levels the fill works through.</summary>
internal static class ImagePyramid
{
    // The coarsest level is reached once the hole is about a patch wide there (half-width 3 px).
    private const int CoarsestHoleThickness = 3;

    // Fewer source patches than this give a coarse level too little to choose from to be worth it.
    private const int MinimumSources = 32;

    // A coarse level must still show at least this share of the hole's surroundings in whole source patches.
    private const double MinimumCoverage = 0.8;

    /// <summary>Levels from finest (index 0, the picture itself) to coarsest.</summary>
    public static IReadOnlyList<PyramidLevel> Build(PyramidLevel finest, CancellationToken cancellationToken)
    {
        var levels = new List<PyramidLevel> { finest };
        int minimumSide = 2 * finest.Layout.Size;
        while (true)
        {
            PyramidLevel current = levels[^1];
            if (current.HoleThickness() <= CoarsestHoleThickness)
                break;
            if ((current.Width + 1) / 2 < minimumSide || (current.Height + 1) / 2 < minimumSide)
                break;
            PyramidLevel next = current.Downsample(cancellationToken);
            if (next.Layout.Sources.Length < MinimumSources)
                break;
            if (SourceCoverage.Of(next, cancellationToken) < MinimumCoverage)
                break;
            levels.Add(next);
        }
        return levels;
    }
}
