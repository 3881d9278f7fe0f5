using EditorBridge.Engines;
using EditorBridge.ModelStore;

namespace EditorBridge.Testing;

/// <summary>
/// A model-backed engine for daemon tests: it offers <see cref="Operation"/> once a model of its
/// kind is installed in the store (listing every such model, by name), checks a model folder by a
/// header in <see cref="GraphFile"/> (a stand-in for comparing a signature with an ONNX graph),
/// and answers the inverted picture with the model's name and identity, as real engines report them.
/// </summary>
public sealed class ModelBackedTestEngine(string modelsDirectory, string kind = ModelKind.Style, string operation = "stylize", int priority = 5) : IEngine
{
    public const string Name = "modeltest";

    public const string GraphFile = "graph.bin";

    private int describeCalls;

    public static byte[] Header => "TESTGRAPH1"u8.ToArray();

    public string Operation => operation;

    public int DescribeCalls => describeCalls;

    /// <summary>A graph file this engine accepts, <paramref name="length"/> bytes long.</summary>
    public static byte[] Graph(int length, int seed)
    {
        var bytes = ModelFolders.Bytes(Math.Max(length, Header.Length), seed);
        Header.CopyTo(bytes, 0);
        return bytes;
    }

    public EngineDescriptor Describe()
    {
        Interlocked.Increment(ref describeCalls);
        var models = Served().Select(m => m.Name).ToList();
        IReadOnlyList<OperationDescriptor> operations = models.Count == 0
            ? []
            : [new OperationDescriptor(operation, "inverts the picture with an installed test model", []) { Models = models }];
        return new EngineDescriptor(Name, "1.0.0", "test engine backed by installed models", operations, ["cpu"], priority);
    }

    public IReadOnlyList<string> CheckModel(string directory, string modelKind)
    {
        if (modelKind != kind)
            return [];
        var path = Path.Combine(directory, GraphFile);
        if (!File.Exists(path))
            return [$"{GraphFile} is missing"];
        var start = new byte[Header.Length];
        using (var stream = File.OpenRead(path))
            stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        return start.AsSpan().SequenceEqual(Header) ? [] : [$"{GraphFile} does not match the signature (no test graph header)"];
    }

    public Task<EngineOutput> RunAsync(EngineRequest request, IProgress<EngineProgress> progress, CancellationToken cancellationToken)
    {
        var served = Served();
        var model = request.Model.Length == 0 ? served.FirstOrDefault() : served.FirstOrDefault(m => m.Name == request.Model);
        if (model is null)
            throw new EngineInputException("model", $"model '{request.Model}' is not installed");
        var pixels = (byte[])request.Image.Pixels.Clone();
        for (int i = 0; i < pixels.Length; i += 4)
        {
            pixels[i] = (byte)(255 - pixels[i]);
            pixels[i + 1] = (byte)(255 - pixels[i + 1]);
            pixels[i + 2] = (byte)(255 - pixels[i + 2]);
        }

        return Task.FromResult(new EngineOutput(new EngineImage(request.Image.Width, request.Image.Height, pixels), "cpu", model.Identity) { ModelName = model.Name });
    }

    public void Dispose()
    {
    }

    private IReadOnlyList<InstalledModel> Served() =>
        [.. new ModelStore.ModelStore(modelsDirectory).List().Where(m => m.Manifest.Kind == kind && m.Manifest.Operations.Contains(operation))];
}
