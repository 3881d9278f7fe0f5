using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Google.Protobuf.WellKnownTypes;

namespace EditorBridge.Engines.Diffusion.Tests.ThroughDaemon;

/// <summary>Diffusion job requests on a real photo, few steps so the tiny models answer in milliseconds.</summary>
internal static class WireJobs
{
    public static RgbaPicture Picture(int width = 96, int height = 80) => TestPictures.Load("chelsea.png").Crop(30, 10, width, height);

    public static JobRequest Job(string operation, RgbaPicture picture, ulong seed = 11, params (string Name, Value Value)[] parameters)
    {
        var request = new JobRequest
        {
            Operation = operation,
            Layer = WireRequests.Layer(picture),
            Seed = seed,
            Prompt = "a (red:1.2) cat on the grass",
            NegativePrompt = "blurry",
            Parameters = new Struct { Fields = { ["steps"] = Value.ForNumber(6) } },
        };
        foreach (var (name, value) in parameters)
            request.Parameters.Fields[name] = value;
        return request;
    }

    /// <summary>Collects a job's events on the calling thread of the stream (no thread-pool reordering).</summary>
    public sealed class Events(Action<JobEvent>? onEvent = null) : IProgress<JobEvent>
    {
        public List<JobEvent> All { get; } = [];

        public void Report(JobEvent value)
        {
            lock (All)
                All.Add(value);
            onEvent?.Invoke(value);
        }
    }
}
