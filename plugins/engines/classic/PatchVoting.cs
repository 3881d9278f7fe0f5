namespace EditorBridge.Engines.Classic;

/// <summary>
/// The reconstruction step of Wexler et al.: each hole pixel becomes the weighted mean of what every
/// overlapping target patch's match says it should be.
/// </summary>
internal sealed class PatchVoting
{
    private const int CancellationStride = 64;

    // Similarity weight exp(-cost / scale), scale being the median cost: close matches get more say, which keeps
    // texture sharp. Quantile and factor were picked on textured crops from 0.25 to 0.75 and 0.5 to 2.
    private const double ScaleQuantile = 0.5;

    // Confidence weight Gamma^-d for a patch centred d pixels inside the hole: without it, patches deep in the hole,
    // which match their own copied content perfectly, outvote the border and the fill never meets its surroundings.
    private const double Gamma = 1.6;

    private readonly float[] _sums;
    private readonly float[] _weights;
    private int[]? _bestCost;
    private int[]? _bestSource;

    public PatchVoting(int width, int height)
    {
        _sums = new float[width * height * WorkingPixels.Channels];
        _weights = new float[width * height];
    }

    /// <summary>Overwrites the hole pixels of the field's level from its matches.</summary>
    /// <param name="uniform">Ignore costs, for when they were measured on no estimate yet.</param>
    public void Vote(NearestNeighbourField field, bool uniform, CancellationToken cancellationToken)
    {
        Array.Clear(_sums);
        Array.Clear(_weights);
        PyramidLevel level = field.Level;
        double scale = uniform ? 0 : CostScale(field);
        int[] targets = level.Layout.Targets;
        for (int n = 0; n < targets.Length; n++)
        {
            if (n % CancellationStride == 0)
                cancellationToken.ThrowIfCancellationRequested();
            int target = targets[n];
            double similarity = scale > 0 ? Math.Exp(-field.Cost[target] / scale) : 1;
            double confidence = Math.Pow(Gamma, -level.DistanceToKnown[target]);
            Accumulate(level, target, field.Match[target], Math.Max((float)(similarity * confidence), float.Epsilon));
        }
        Resolve(level);
    }

    /// <summary>Each hole pixel copies from the covering target patch with the closest match: no averaging at all.</summary>
    public void VoteBest(NearestNeighbourField field, CancellationToken cancellationToken)
    {
        PyramidLevel level = field.Level;
        _bestCost ??= new int[_weights.Length];
        _bestSource ??= new int[_weights.Length];
        Array.Fill(_bestCost, int.MaxValue);
        int[] targets = level.Layout.Targets;
        for (int n = 0; n < targets.Length; n++)
        {
            if (n % CancellationStride == 0)
                cancellationToken.ThrowIfCancellationRequested();
            KeepIfBest(level, targets[n], field.Match[targets[n]], field.Cost[targets[n]], _bestCost, _bestSource);
        }
        const int channels = WorkingPixels.Channels;
        for (int p = 0; p < _bestCost.Length; p++)
        {
            if (_bestCost[p] != int.MaxValue)
                Array.Copy(level.Pixels, channels * _bestSource[p], level.Pixels, channels * p, channels);
        }
    }

    private static void KeepIfBest(PyramidLevel level, int target, int source, int cost, int[] bestCost, int[] bestSource)
    {
        PatchLayout layout = level.Layout;
        int offset = source - target;
        int top = target - layout.Radius * layout.Width - layout.Radius;
        for (int row = 0; row < layout.Size; row++)
        {
            for (int p = top + row * layout.Width, end = p + layout.Size; p < end; p++)
            {
                if (level.Hole[p] != 0 && cost < bestCost[p])
                {
                    bestCost[p] = cost;
                    bestSource[p] = p + offset;
                }
            }
        }
    }

    private void Accumulate(PyramidLevel level, int target, int source, float weight)
    {
        const int channels = WorkingPixels.Channels;
        PatchLayout layout = level.Layout;
        int offset = source - target;
        int top = target - layout.Radius * layout.Width - layout.Radius;
        for (int row = 0; row < layout.Size; row++)
        {
            for (int p = top + row * layout.Width, end = p + layout.Size; p < end; p++)
            {
                if (level.Hole[p] == 0)
                    continue;
                int s = channels * (p + offset);
                int t = channels * p;
                for (int c = 0; c < channels; c++)
                    _sums[t + c] += weight * level.Pixels[s + c];
                _weights[p] += weight;
            }
        }
    }

    private void Resolve(PyramidLevel level)
    {
        const int channels = WorkingPixels.Channels;
        for (int p = 0; p < _weights.Length; p++)
        {
            if (level.Hole[p] == 0 || _weights[p] == 0)
                continue;
            int t = channels * p;
            for (int c = 0; c < channels; c++)
                level.Pixels[t + c] = (byte)Math.Clamp(MathF.Round(_sums[t + c] / _weights[p]), 0, 255);
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
