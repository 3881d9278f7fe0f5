using System.Globalization;

namespace EditorBridge.ModelStore.Ncnn;

/// <summary>
/// One layer of an ncnn <c>.param</c> graph: type, name, bottom (input) and top (output) blobs, and
/// its numbered parameters (<c>id=value</c>; arrays are written <c>-233xx=n,v1,…</c> and kept under id xx).
/// </summary>
internal sealed record NcnnLayer(string Type, string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyDictionary<int, float[]> Values)
{
    public int Int(int id, int fallback) => Values.TryGetValue(id, out var v) && v.Length > 0 ? (int)v[0] : fallback;

    public float Float(int id, float fallback) => Values.TryGetValue(id, out var v) && v.Length > 0 ? v[0] : fallback;

    public float[] Array(int id) => Values.TryGetValue(id, out var v) ? v : [];

    public override string ToString() => $"{Type} '{Name}'";
}

/// <summary>Reads ncnn's text graph format (magic 7767517, then layer and blob counts, then one layer per line).</summary>
internal static class NcnnParam
{
    public const int Magic = 7767517;

    public static IReadOnlyList<NcnnLayer> Parse(string text)
    {
        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (lines.Count < 2 || lines[0] != Magic.ToString(CultureInfo.InvariantCulture))
            throw new FormatException($"not an ncnn text graph (the first line must be {Magic})");
        var counts = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (counts.Length != 2 || !int.TryParse(counts[0], CultureInfo.InvariantCulture, out var layerCount))
            throw new FormatException("line 2 must hold the layer and blob counts");
        var layers = new List<NcnnLayer>();
        for (int i = 2; i < lines.Count; i++)
            layers.Add(Layer(lines[i], i + 1));
        if (layers.Count != layerCount)
            throw new FormatException($"line 2 announces {layerCount} layers but {layers.Count} follow");
        return layers;
    }

    private static NcnnLayer Layer(string line, int number)
    {
        var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 4 || !int.TryParse(parts[2], CultureInfo.InvariantCulture, out var bottoms) || !int.TryParse(parts[3], CultureInfo.InvariantCulture, out var tops)
            || bottoms < 0 || tops < 0 || parts.Length < 4 + bottoms + tops)
            throw new FormatException($"line {number} is not a layer (type name inputs outputs blobs… params…)");
        var values = new Dictionary<int, float[]>();
        foreach (var pair in parts.Skip(4 + bottoms + tops))
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0 || !int.TryParse(pair[..eq], CultureInfo.InvariantCulture, out var id))
                throw new FormatException($"line {number}: '{pair}' is not id=value");
            var text = pair[(eq + 1)..];
            if (id <= -23300)
            {
                var items = text.Split(',');
                values[-id - 23300] = items.Skip(1).Select(v => Number(v, number)).ToArray();
            }
            else
            {
                values[id] = [Number(text, number)];
            }
        }

        return new NcnnLayer(parts[0], parts[1], parts[4..(4 + bottoms)], parts[(4 + bottoms)..(4 + bottoms + tops)], values);
    }

    private static float Number(string text, int line) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw new FormatException($"line {line}: '{text}' is not a number");
}
