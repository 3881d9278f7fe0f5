namespace EditorBridge.Engines.Classic;

/// <summary>
/// A part of an operation's progress: fractions of one long step (0..1) become the whole job's
/// fraction between <c>From</c> and <c>To</c>, reported in thousandths with the step's name. Long
/// steps of own code (deconvolution rounds, GrabCut rounds, the guided non-local-means sweep)
/// report as they go; a single OpenCV call reports when it starts and ends.
/// </summary>
internal sealed class ProgressSpan(IProgress<EngineProgress> progress, double from, double to, string stage)
{
    public const int Total = 1000;

    public void Report(double fraction) =>
        progress.Report(new EngineProgress((int)Math.Round(Total * (from + (to - from) * Math.Clamp(fraction, 0, 1))), Total, stage));

    public void Report(int done, int total) => Report(total > 0 ? (double)done / total : 1);

    /// <summary>A span of the same job for the next step.</summary>
    public ProgressSpan Next(double nextTo, string nextStage) => new(progress, to, nextTo, nextStage);
}
