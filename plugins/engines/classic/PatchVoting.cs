namespace EditorBridge.Engines.Classic;

/// <summary>
/// The reconstruction step of Wexler et al.: each hole pixel is decided from what every overlapping
/// target patch's match says it should be. Each hole pixel gathers its own candidates, so the hole is
/// cut into parts that run in parallel and the result does not depend on the number of cores.
/// </summary>
internal sealed class PatchVoting
{
    private const int CancellationStride = 64;
    private const int Parts = 8;

    // Similarity weight exp(-cost / scale), scale being the median cost: close matches get more say, which keeps
    // texture sharp. Quantile and factor were picked on textured crops from 0.25 to 0.75 and 0.5 to 2.
    private const double ScaleQuantile = 0.5;

    // Confidence weight Gamma^-d for a patch centred d pixels inside the hole: without it, patches deep in the hole,
    // which match their own copied content perfectly, outvote the border and the fill never meets its surroundings.
    private const double Gamma = 1.6;

    private readonly int[] _holePixels;
    private readonly float[] _weights;

    public PatchVoting(PyramidLevel level)
    {
        var hole = new List<int>();
        for (int p = 0; p < level.Hole.Length; p++)
        {
            if (level.Hole[p] != 0)
                hole.Add(p);
        }
        _holePixels = hole.ToArray();
        _weights = new float[level.Width * level.Height];
    }

    /// <summary>Overwrites the hole pixels of the field's level with the weighted mean of their candidates.</summary>
    /// <param name="uniform">Ignore costs, for when they were measured on no estimate yet.</param>
    public void Vote(NearestNeighbourField field, bool uniform, CancellationToken cancellationToken)
    {
        PrepareWeights(field, uniform);
        var means = new float[_holePixels.Length * WorkingPixels.Channels];
        ForEachHolePixel(field, (n, p, candidates) => Mean(field, p, candidates, means.AsSpan(n * WorkingPixels.Channels, WorkingPixels.Channels)), cancellationToken);
        byte[] pixels = field.Level.Pixels;
        for (int n = 0; n < _holePixels.Length; n++)
        {
            for (int c = 0; c < WorkingPixels.Channels; c++)
                pixels[_holePixels[n] * WorkingPixels.Channels + c] = (byte)Math.Clamp(MathF.Round(means[n * WorkingPixels.Channels + c]), 0, 255);
        }
    }

    /// <summary>
    /// Each hole pixel copies the one candidate closest to the weighted mean of all of them: the consensus
    /// of the overlapping patches, as sharp as a copy (no averaging of two different fills, hence no ghosts).
    /// </summary>
    public void VoteConsensus(NearestNeighbourField field, CancellationToken cancellationToken, bool uniform = false)
    {
        PrepareWeights(field, uniform);
        var chosen = new int[_holePixels.Length];
        ForEachHolePixel(field, (n, p, candidates) =>
        {
            Span<float> mean = stackalloc float[WorkingPixels.Channels];
            Mean(field, p, candidates, mean);
            chosen[n] = Closest(field.Level.Pixels, candidates, mean);
        }, cancellationToken);
        Copy(field.Level.Pixels, chosen);
    }

    /// <summary>
    /// Where a hole pixel's candidates agree (their weighted spread is under <paramref name="agreement"/> levels),
    /// their weighted mean, which removes the little disagreement there is; where they disagree, the consensus
    /// copy of <see cref="VoteConsensus"/>: two different fills are never averaged, so no ghosts.
    /// </summary>
    public void VoteAdaptive(NearestNeighbourField field, float agreement, CancellationToken cancellationToken)
    {
        PrepareWeights(field, uniform: false);
        var chosen = new int[_holePixels.Length];
        var means = new float[_holePixels.Length * WorkingPixels.Channels];
        ForEachHolePixel(field, (n, p, candidates) =>
        {
            Span<float> mean = means.AsSpan(n * WorkingPixels.Channels, WorkingPixels.Channels);
            Mean(field, p, candidates, mean);
            chosen[n] = Spread(field.Level.Pixels, candidates, mean) <= agreement * agreement ? -1 : Closest(field.Level.Pixels, candidates, mean);
        }, cancellationToken);
        byte[] pixels = field.Level.Pixels;
        for (int n = 0; n < _holePixels.Length; n++)
        {
            if (chosen[n] >= 0)
                Array.Copy(pixels, chosen[n] * WorkingPixels.Channels, pixels, _holePixels[n] * WorkingPixels.Channels, WorkingPixels.Channels);
            else
                for (int c = 0; c < WorkingPixels.Channels; c++)
                    pixels[_holePixels[n] * WorkingPixels.Channels + c] = (byte)Math.Clamp(MathF.Round(means[n * WorkingPixels.Channels + c]), 0, 255);
        }
    }

    /// <summary>Each hole pixel copies from the covering target patch with the closest match: no averaging at all.</summary>
    public void VoteBest(NearestNeighbourField field, CancellationToken cancellationToken)
    {
        var chosen = new int[_holePixels.Length];
        ForEachHolePixel(field, (n, p, candidates) => chosen[n] = BestMatched(field.Cost, candidates), cancellationToken);
        Copy(field.Level.Pixels, chosen);
    }

    private void Copy(byte[] pixels, int[] chosen)
    {
        for (int n = 0; n < _holePixels.Length; n++)
        {
            if (chosen[n] >= 0)
                Array.Copy(pixels, chosen[n] * WorkingPixels.Channels, pixels, _holePixels[n] * WorkingPixels.Channels, WorkingPixels.Channels);
        }
    }

    /// <summary>The candidates of one hole pixel: per covering target patch, the source pixel its match puts there.</summary>
    private readonly ref struct Candidates(ReadOnlySpan<int> sources, ReadOnlySpan<int> targets)
    {
        public readonly ReadOnlySpan<int> Sources = sources;
        public readonly ReadOnlySpan<int> Targets = targets;
    }

    private delegate void HolePixelBody(int n, int p, Candidates candidates);

    // Each hole pixel's candidates are gathered once (in a fixed order: the sums below do not depend on the parts).
    private void ForEachHolePixel(NearestNeighbourField field, HolePixelBody body, CancellationToken cancellationToken) =>
        Parallelism.For(Parts, part =>
        {
            int size = field.Level.Layout.Size;
            Span<int> sources = stackalloc int[size * size];
            Span<int> targets = stackalloc int[size * size];
            int first = (int)((long)_holePixels.Length * part / Parts), end = (int)((long)_holePixels.Length * (part + 1) / Parts);
            for (int n = first; n < end; n++)
            {
                if (n % CancellationStride == 0)
                    cancellationToken.ThrowIfCancellationRequested();
                int count = Gather(field, _holePixels[n], sources, targets);
                body(n, _holePixels[n], new Candidates(sources[..count], targets[..count]));
            }
        }, cancellationToken);

    // For every target patch whose window covers pixel p: the source pixel its match puts at p, and the target.
    private static int Gather(NearestNeighbourField field, int p, Span<int> sources, Span<int> targets)
    {
        PatchLayout layout = field.Level.Layout;
        int width = layout.Width, radius = layout.Radius, count = 0;
        int x = p % width, y = p / width;
        bool[] isTarget = layout.IsTarget;
        int[] match = field.Match;
        for (int dy = -radius; dy <= radius; dy++)
        {
            int ty = y - dy;
            if (ty < radius || ty >= layout.Height - radius)
                continue;
            for (int dx = -radius; dx <= radius; dx++)
            {
                int tx = x - dx;
                if (tx < radius || tx >= width - radius)
                    continue;
                int target = ty * width + tx;
                if (!isTarget[target])
                    continue;
                sources[count] = match[target] + dy * width + dx;
                targets[count++] = target;
            }
        }
        return count;
    }

    private void Mean(NearestNeighbourField field, int p, Candidates candidates, Span<float> mean)
    {
        const int channels = WorkingPixels.Channels;
        mean.Clear();
        byte[] pixels = field.Level.Pixels;
        float total = 0;
        for (int i = 0; i < candidates.Sources.Length; i++)
        {
            float w = _weights[candidates.Targets[i]];
            int b = candidates.Sources[i] * channels;
            for (int c = 0; c < channels; c++)
                mean[c] += w * pixels[b + c];
            total += w;
        }
        if (total <= 0)
        {
            // no covering target (too small a picture for any patch): keep what is there
            for (int c = 0; c < channels; c++)
                mean[c] = pixels[p * channels + c];
            return;
        }
        for (int c = 0; c < channels; c++)
            mean[c] /= total;
    }

    // Weighted mean squared colour distance of the candidates from their mean, per channel.
    private float Spread(byte[] pixels, Candidates candidates, ReadOnlySpan<float> mean)
    {
        float sum = 0, total = 0;
        for (int i = 0; i < candidates.Sources.Length; i++)
        {
            int b = candidates.Sources[i] * WorkingPixels.Channels;
            float d = 0;
            for (int c = 0; c < 3; c++)
            {
                float e = pixels[b + c] - mean[c];
                d += e * e;
            }
            float w = _weights[candidates.Targets[i]];
            sum += w * d;
            total += w;
        }
        return total <= 0 ? 0 : sum / total / 3;
    }

    private static int Closest(byte[] pixels, Candidates candidates, ReadOnlySpan<float> mean)
    {
        float best = float.MaxValue;
        int chosen = -1;
        foreach (int source in candidates.Sources)
        {
            int b = source * WorkingPixels.Channels;
            float d = 0;
            for (int c = 0; c < WorkingPixels.ColourChannels; c++)
            {
                float e = pixels[b + c] - mean[c];
                d += e * e;
            }
            if (d < best)
                (best, chosen) = (d, source);
        }
        return chosen;
    }

    private static int BestMatched(int[] cost, Candidates candidates)
    {
        int best = int.MaxValue, chosen = -1;
        for (int i = 0; i < candidates.Sources.Length; i++)
        {
            if (cost[candidates.Targets[i]] < best)
                (best, chosen) = (cost[candidates.Targets[i]], candidates.Sources[i]);
        }
        return chosen;
    }

    private void PrepareWeights(NearestNeighbourField field, bool uniform)
    {
        PyramidLevel level = field.Level;
        double scale = uniform ? 0 : CostScale(field);
        foreach (int target in level.Layout.Targets)
        {
            double similarity = scale > 0 ? Math.Exp(-field.Cost[target] / scale) : 1;
            double confidence = Math.Pow(Gamma, -level.DistanceToKnown[target]);
            _weights[target] = Math.Max((float)(similarity * confidence), float.Epsilon);
        }
    }

    private static double CostScale(NearestNeighbourField field)
    {
        int[] targets = field.Level.Layout.Targets;
        var costs = new int[targets.Length];
        for (int n = 0; n < targets.Length; n++)
            costs[n] = field.Cost[targets[n]];
        Array.Sort(costs);
        return costs.Length == 0 ? 0 : costs[(int)(ScaleQuantile * (costs.Length - 1))];
    }
}
