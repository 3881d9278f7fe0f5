namespace EditorBridge.Engines.Diffusion.Tests.InProcess;

/// <summary>Builds engines on a store and requests with every declared parameter, as the daemon hands them over.</summary>
internal static class EngineRuns
{
    public static DiffusionEngine Engine(string store, params string[] providers)
    {
        var engine = new DiffusionEngine();
        engine.Configure(new EngineEnvironment(store, providers.Length == 0 ? ["cpu"] : providers, TimeSpan.FromMinutes(5)));
        return engine;
    }

    public static EngineRequest Request(DiffusionEngine engine, string operation, EngineImage image, EngineMask? mask = null, ulong seed = 7,
        string prompt = "a red cat on the grass", string model = "", params (string Name, object Value)[] parameters)
    {
        var descriptor = engine.Describe().Operations.Single(o => o.Name == operation);
        var values = descriptor.Parameters.ToDictionary(p => p.Name, p => p.Default);
        values["steps"] = 6.0;
        foreach (var (name, value) in parameters)
            values[name] = value;
        return new EngineRequest(operation, image, mask, values, seed, prompt, "blurry") { Model = model };
    }

    public static async Task<EngineOutput> RunAsync(DiffusionEngine engine, EngineRequest request, IProgress<EngineProgress>? progress = null, CancellationToken cancellationToken = default) =>
        await engine.RunAsync(request, progress ?? new Progress<EngineProgress>(), cancellationToken);

    /// <summary>A real photo cut to <paramref name="side"/>², as the work image.</summary>
    public static EngineImage Photo(int side = 64, string name = "chelsea.png")
    {
        var picture = EditorBridge.Testing.TestPictures.Load(name).Crop(40, 20, side, side);
        return new EngineImage(side, side, picture.Rgba);
    }

    /// <summary>A hard rectangular hole (255) in a <paramref name="side"/>² mask.</summary>
    public static EngineMask Hole(int side, int x, int y, int width, int height)
    {
        var coverage = new byte[side * side];
        for (int row = y; row < y + height; row++)
            Array.Fill(coverage, (byte)255, row * side + x, width);
        return new EngineMask(side, side, coverage);
    }

    /// <summary>Records progress synchronously (System.Progress posts to the thread pool, out of order).</summary>
    public sealed class Recorder(Action<EngineProgress>? onReport = null) : IProgress<EngineProgress>
    {
        public List<EngineProgress> Reports { get; } = [];

        public void Report(EngineProgress value)
        {
            lock (Reports)
                Reports.Add(value);
            onReport?.Invoke(value);
        }
    }
}
