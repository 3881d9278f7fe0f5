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
        ForEachHolePixel(field, (n, p) => Mean(field, p, means.AsSpan(n * WorkingPixels.Channels, WorkingPixels.Channels)), cancellationToken);
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
    public void VoteConsensus(NearestNeighbourField field, CancellationToken cancellationToken)
    {
        PrepareWeights(field, uniform: false);
        var chosen = new int[_holePixels.Length];
        ForEachHolePixel(field, (n, p) =>
        {
            Span<float> mean = stackalloc float[WorkingPixels.Channels];
            Mean(field, p, mean);
            chosen[n] = Closest(field, p, mean);
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
        ForEachHolePixel(field, (n, p) =>
        {
            Span<float> mean = means.AsSpan(n * WorkingPixels.Channels, WorkingPixels.Channels);
            Mean(field, p, mean);
            chosen[n] = Spread(field, p, mean) <= agreement * agreement ? -1 : Closest(field, p, mean);
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

    private ref struct SpreadState(byte[] pixels, float[] weights, ReadOnlySpan<float> mean)
    {
        public readonly byte[] Pixels = pixels;
        public readonly float[] Weights = weights;
        public readonly ReadOnlySpan<float> Mean = mean;
        public float Sum;
        public float Total;
    }

    // Weighted mean squared colour distance of the candidates from their mean, per channel.
    private float Spread(NearestNeighbourField field, int p, ReadOnlySpan<float> mean)
    {
        var state = new SpreadState(field.Level.Pixels, _weights, mean);
        ForEachCandidate(field, p, ref state, static (ref SpreadState s, int source, int target) =>
        {
            int b = source * WorkingPixels.Channels;
            float d = 0;
            for (int c = 0; c < 3; c++)
            {
                float e = s.Pixels[b + c] - s.Mean[c];
                d += e * e;
            }
            s.Sum += s.Weights[target] * d;
            s.Total += s.Weights[target];
        });
        return state.Total <= 0 ? 0 : state.Sum / state.Total / 3;
    }

    /// <summary>Each hole pixel copies from the covering target patch with the closest match: no averaging at all.</summary>
    public void VoteBest(NearestNeighbourField field, CancellationToken cancellationToken)
    {
        var chosen = new int[_holePixels.Length];
        ForEachHolePixel(field, (n, p) => chosen[n] = BestMatched(field, p), cancellationToken);
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

    private void ForEachHolePixel(NearestNeighbourField field, Action<int, int> body, CancellationToken cancellationToken) =>
        Parallelism.For(Parts, part =>
        {
            int first = (int)((long)_holePixels.Length * part / Parts), end = (int)((long)_holePixels.Length * (part + 1) / Parts);
            for (int n = first; n < end; n++)
            {
                if (n % CancellationStride == 0)
                    cancellationToken.ThrowIfCancellationRequested();
                body(n, _holePixels[n]);
            }
        }, cancellationToken);

    // Calls visit(source pixel, covering target) for every target patch whose window covers pixel p.
    private static void ForEachCandidate<TState>(NearestNeighbourField field, int p, ref TState state, CandidateVisitor<TState> visit)
        where TState : allows ref struct
    {
        PatchLayout layout = field.Level.Layout;
        int width = layout.Width, radius = layout.Radius;
        int x = p % width, y = p / width;
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
                if (layout.IsTarget[target])
                    visit(ref state, field.Match[target] + dy * width + dx, target);
            }
        }
    }

    private delegate void CandidateVisitor<TState>(ref TState state, int source, int target)
        where TState : allows ref struct;

    private ref struct MeanState(byte[] pixels, float[] weights, Span<float> sums)
    {
        public readonly byte[] Pixels = pixels;
        public readonly float[] Weights = weights;
        public Span<float> Sums = sums;
        public float Total;
    }

    private void Mean(NearestNeighbourField field, int p, Span<float> mean)
    {
        mean.Clear();
        var state = new MeanState(field.Level.Pixels, _weights, mean);
        ForEachCandidate(field, p, ref state, static (ref MeanState s, int source, int target) =>
        {
            float w = s.Weights[target];
            int b = source * WorkingPixels.Channels;
            for (int c = 0; c < WorkingPixels.Channels; c++)
                s.Sums[c] += w * s.Pixels[b + c];
            s.Total += w;
        });
        if (state.Total <= 0)
        {
            // no covering target (too small a picture for any patch): keep what is there
            for (int c = 0; c < WorkingPixels.Channels; c++)
                mean[c] = field.Level.Pixels[p * WorkingPixels.Channels + c];
            return;
        }
        for (int c = 0; c < WorkingPixels.Channels; c++)
            mean[c] /= state.Total;
    }

    private ref struct ClosestState(byte[] pixels, ReadOnlySpan<float> mean)
    {
        public readonly byte[] Pixels = pixels;
        public readonly ReadOnlySpan<float> Mean = mean;
        public float Best = float.MaxValue;
        public int Source = -1;
    }

    private static int Closest(NearestNeighbourField field, int p, ReadOnlySpan<float> mean)
    {
        var state = new ClosestState(field.Level.Pixels, mean);
        ForEachCandidate(field, p, ref state, static (ref ClosestState s, int source, int target) =>
        {
            int b = source * WorkingPixels.Channels;
            float d = 0;
            for (int c = 0; c < WorkingPixels.ColourChannels; c++)
            {
                float e = s.Pixels[b + c] - s.Mean[c];
                d += e * e;
            }
            if (d < s.Best)
            {
                s.Best = d;
                s.Source = source;
            }
        });
        return state.Source;
    }

    private ref struct BestState(int[] cost)
    {
        public readonly int[] Cost = cost;
        public int Best = int.MaxValue;
        public int Source = -1;
    }

    private static int BestMatched(NearestNeighbourField field, int p)
    {
        var state = new BestState(field.Cost);
        ForEachCandidate(field, p, ref state, static (ref BestState s, int source, int target) =>
        {
            if (s.Cost[target] < s.Best)
            {
                s.Best = s.Cost[target];
                s.Source = source;
            }
        });
        return state.Source;
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
