namespace EditorBridge.Lora;

/// <summary>
/// The low-rank pairs of a LoRA file, grouped by the model component and module they change. Two
/// key namings are read: kohya's (<c>lora_unet_down_blocks_0_…_to_q.lora_down.weight</c>,
/// <c>.lora_up.weight</c>, <c>.alpha</c>; text encoders <c>lora_te_</c>, SDXL <c>lora_te1_</c>/<c>lora_te2_</c>),
/// whose module path has its dots turned into underscores (resolved against the graph's own
/// module names), and diffusers'/PEFT's (<c>unet.down_blocks.0.….to_q.lora_A.weight</c> and
/// <c>lora_B</c>, or the older <c>.lora.down.weight</c>/<c>.lora.up.weight</c>).
/// </summary>
public sealed record LoraFile(IReadOnlyList<LoraModule> Modules, IReadOnlyList<string> IgnoredKeys)
{
    private static readonly (string Prefix, string Component)[] KohyaPrefixes =
    [
        ("lora_unet_", "unet"), ("lora_te1_", "text_encoder"), ("lora_te2_", "text_encoder_2"), ("lora_te_", "text_encoder"),
    ];

    private static readonly (string Prefix, string Component)[] DiffusersPrefixes =
    [
        ("unet.", "unet"), ("text_encoder_2.", "text_encoder_2"), ("text_encoder.", "text_encoder"),
    ];

    private static readonly (string Down, string Up)[] DiffusersSuffixes =
    [
        (".lora_A.weight", ".lora_B.weight"), (".lora.down.weight", ".lora.up.weight"),
    ];

    public static LoraFile Load(string path) => Parse(SafeTensors.Read(path));

    public static LoraFile Parse(IReadOnlyDictionary<string, LoraTensor> tensors)
    {
        var modules = new List<LoraModule>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in tensors.Keys.Order(StringComparer.Ordinal))
        {
            if (Kohya(key) is { } kohya)
            {
                var up = kohya.Stem + ".lora_up.weight";
                if (!tensors.TryGetValue(up, out var upTensor))
                    continue;
                tensors.TryGetValue(kohya.Stem + ".alpha", out var alpha);
                modules.Add(new LoraModule(kohya.Component, kohya.Module, Kohya: true, tensors[key], upTensor, alpha?.Values.FirstOrDefault()));
                used.UnionWith([key, up, kohya.Stem + ".alpha"]);
            }
            else if (Diffusers(key) is { } diffusers && tensors.TryGetValue(diffusers.Up, out var upTensor))
            {
                tensors.TryGetValue(diffusers.Stem + ".alpha", out var alpha);
                modules.Add(new LoraModule(diffusers.Component, diffusers.Module, Kohya: false, tensors[key], upTensor, alpha?.Values.FirstOrDefault()));
                used.UnionWith([key, diffusers.Up, diffusers.Stem + ".alpha"]);
            }
        }

        return new LoraFile(modules, tensors.Keys.Where(k => !used.Contains(k)).Order(StringComparer.Ordinal).ToList());
    }

    private static (string Component, string Module, string Stem)? Kohya(string key)
    {
        const string down = ".lora_down.weight";
        if (!key.EndsWith(down, StringComparison.Ordinal))
            return null;
        var stem = key[..^down.Length];
        foreach (var (prefix, component) in KohyaPrefixes)
        {
            if (stem.StartsWith(prefix, StringComparison.Ordinal))
                return (component, stem[prefix.Length..], stem);
        }

        return null;
    }

    private static (string Component, string Module, string Stem, string Up)? Diffusers(string key)
    {
        foreach (var (down, up) in DiffusersSuffixes)
        {
            if (!key.EndsWith(down, StringComparison.Ordinal))
                continue;
            var stem = key[..^down.Length];
            foreach (var (prefix, component) in DiffusersPrefixes)
            {
                if (stem.StartsWith(prefix, StringComparison.Ordinal))
                    return (component, stem[prefix.Length..], stem, stem + up);
            }
        }

        return null;
    }
}

/// <summary>
/// One module's pair: <c>down</c> [rank, in] (or [rank, in, kh, kw] for a convolution) and
/// <c>up</c> [out, rank] (or [out, rank, 1, 1]); the change is scale · up · down with
/// scale = strength · alpha / rank (alpha = rank when the file has none).
/// </summary>
/// <param name="Module">The module path: dotted (diffusers) or with underscores for dots (kohya).</param>
public sealed record LoraModule(string Component, string Module, bool Kohya, LoraTensor Down, LoraTensor Up, float? Alpha)
{
    public int Rank => (int)Down.Shape[0];

    public float Scale(double strength) => (float)(strength * (Alpha ?? Rank) / Rank);

    /// <summary>up · down as a [out, in·kh·kw] row-major matrix.</summary>
    public float[] Delta(out int outputs, out int inputs)
    {
        outputs = (int)Up.Shape[0];
        int rank = Rank;
        inputs = Down.Values.Length / rank;
        if (Up.Values.Length != outputs * rank)
            throw new InvalidDataException($"LoRA module '{Module}': up {Shape(Up)} does not match down {Shape(Down)} (rank {rank})");
        var delta = new float[outputs * inputs];
        for (int o = 0; o < outputs; o++)
        {
            for (int r = 0; r < rank; r++)
            {
                float u = Up.Values[o * rank + r];
                if (u == 0)
                    continue;
                var row = Down.Values.AsSpan(r * inputs, inputs);
                var target = delta.AsSpan(o * inputs, inputs);
                for (int i = 0; i < inputs; i++)
                    target[i] += u * row[i];
            }
        }

        return delta;
    }

    private static string Shape(LoraTensor t) => $"[{string.Join(", ", t.Shape)}]";
}
