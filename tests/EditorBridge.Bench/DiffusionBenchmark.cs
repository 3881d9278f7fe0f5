using System.Diagnostics;
using EditorBridge.Engines;
using EditorBridge.Engines.Diffusion;
using EditorBridge.Inference;
using EditorBridge.Testing;
using EditorBridge.TinyModels.StableDiffusion;
using Microsoft.ML.OnnxRuntime;

namespace EditorBridge.Bench;

/// <summary>
/// `-- diffusion`: the diffusion pipeline's own cost per step beyond InferenceSession.Run of the same
/// UNet session, and a job's peak memory. The model is the tiny SD 1.5-shaped one widened
/// (<see cref="Features"/> hidden channels) so that one UNet call at 64×64 latents, batch 2, takes
/// long enough to measure; real SD 1.5 UNet calls are far longer, so the overhead there is smaller still.
/// </summary>
internal static class DiffusionBenchmark
{
    private const int DefaultFeatures = 768;
    private const int Side = 512;
    private const int Steps = 12;

    /// <param name="args">
    /// Execution providers to try, e.g. ["cuda", "cpu"] with a CUDA build (-p:OrtFlavour=cuda); default CPU.
    /// "--features N" widens the UNet (a GPU needs a much wider one than a CPU for Run time to mean something).
    /// </param>
    public static async Task RunAsync(string[] args)
    {
        int at = Array.IndexOf(args, "--features");
        int Features = at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : DefaultFeatures;
        string[] providers = at >= 0 ? [.. args[..at], .. args[Math.Min(args.Length, at + 2)..]] : args;
        string[] order = providers.Length == 0 ? ["cpu"] : providers;
        Console.WriteLine($"\n## Diffusion: per-step overhead beyond InferenceSession.Run (tiny SD 1.5-shaped model, UNet {Features} hidden channels, {Side}² → 64² latents, CFG batch 2, {Steps} steps, dpmpp_2m_karras, providers {string.Join(", ", order)})");
        using var store = new TempDirectory("bench-diffusion");
        TinyDiffusionModel.Write(Path.Combine(store.Path, "bench-sd"), new TinyDiffusionOptions("bench-sd", Features: Features));
        long rssBefore = Rss();
        using var engine = new DiffusionEngine();
        engine.Configure(new EngineEnvironment(store.Path, order, TimeSpan.FromMinutes(5)));
        var request = Request(engine);

        var unetPath = Path.Combine(store.Path, "bench-sd", "unet", "model.onnx");
        var rawBeforeMs = RawUnetRunMs(unetPath, order);
        var clock = Stopwatch.StartNew();
        await engine.RunAsync(request, new Progress<EngineProgress>(), CancellationToken.None);
        var coldMs = clock.Elapsed.TotalMilliseconds;
        long peakGrowth = PeakRss() - rssBefore;
        clock.Restart();
        var output = await engine.RunAsync(request, new Progress<EngineProgress>(), CancellationToken.None);
        var warmMs = clock.Elapsed.TotalMilliseconds;
        var (own, run, steps, runMs) = engine.LastStepTimes;

        // the raw baseline right after the pipeline's run, on the same machine state
        var rawMs = RawUnetRunMs(unetPath, order);
        var rawPipelineStyleMs = RawUnetRunMs(unetPath, order, pipelineStyle: true);
        var rawOnPoolMs = Task.Run(() => RawUnetRunMs(unetPath, order, pipelineStyle: true)).Result;
        var rawWithGapMs = RawUnetRunMs(unetPath, order, pipelineStyle: true, gap: TimeSpan.FromMilliseconds(0.5));
        var afterTextSpinning = UnetRunsAfterDecoder(store.Path, order, decoderSpins: true);
        var afterTextQuiet = UnetRunsAfterDecoder(store.Path, order, decoderSpins: false);
        double pipelineStepMs = (own + run).TotalMilliseconds / steps, inRunStepMs = run.TotalMilliseconds / steps;
        Console.WriteLine($"device that ran: {output.Device}");
        Console.WriteLine("| measure | value |");
        Console.WriteLine("| --- | --- |");
        Console.WriteLine($"| raw InferenceSession.Run of the UNet (same shapes, median of {Steps}), before / after the jobs | {rawBeforeMs:0.0} ms / {rawMs:0.0} ms |");
        Console.WriteLine($"| raw Run with the pipeline's per-call work (fresh RunOptions + cancel registration, fresh input values, output copied) | {rawPipelineStyleMs:0.0} ms |");
        Console.WriteLine($"| the same on a thread-pool thread (as the engine runs a job) / with 0.5 ms of busy work between calls | {rawOnPoolMs:0.0} ms / {rawWithGapMs:0.0} ms |");
        Console.WriteLine($"| raw UNet Runs right after one VAE decoder Run (its own session, default spinning) | {Join(afterTextSpinning)} ms |");
        Console.WriteLine($"| the same with the decoder's intra-op threads not spinning | {Join(afterTextQuiet)} ms |");
        Console.WriteLine($"| the pipeline's UNet Run per step, in order | {string.Join(" ", runMs.Select(m => m.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)))} ms |");
        Console.WriteLine($"| pipeline per step (sampling loop / steps) | {pipelineStepMs:0.0} ms |");
        Console.WriteLine($"| of which inside Run | {inRunStepMs:0.0} ms |");
        Console.WriteLine($"| pipeline's own work per step (scale, batch, tensors, guidance, sampler, preview) | {own.TotalMilliseconds / steps:0.00} ms = {100 * own / run:0.0} % of Run time (target ≤ 5 %) |");
        Console.WriteLine($"| pipeline step vs raw Run (after; sensitive to machine load: {LoadAverage()}) | {100 * (pipelineStepMs - rawMs) / rawMs:+0.0;-0.0} % |");
        Console.WriteLine($"| whole job, first (loads the sessions) / second | {coldMs:0} ms / {warmMs:0} ms |");
        Console.WriteLine($"| peak resident memory growth of the first job (sessions + work) | {peakGrowth / 1048576.0:0} MiB (model files {ModelBytes(store.Path) / 1024.0:0} KiB) |");
        var estimate = Estimate(store.Path, output.Device.StartsWith("cpu", StringComparison.Ordinal) ? ExecutionProvider.Cpu : ExecutionProvider.Cuda);
        Console.WriteLine($"| the engine's pre-flight estimate for this job (runtime + weights + work) | {estimate.Total / 1048576.0:0} MiB = {estimate.RuntimeBytes / 1048576.0:0} + {estimate.WeightBytes / 1048576.0:0} + {estimate.WorkBytes / 1048576.0:0} MiB; measured growth / estimate = {peakGrowth / (double)estimate.Total:0.00} |");
    }

    private static EngineRequest Request(DiffusionEngine engine)
    {
        var operation = engine.Describe().Operations.Single(o => o.Name == "generate");
        var parameters = operation.Parameters.ToDictionary(p => p.Name, p => p.Default);
        parameters["steps"] = (double)Steps;
        return new EngineRequest("generate", new EngineImage(Side, Side, new byte[Side * Side * 4]), null, parameters, 5, "a red cat on the grass", "blurry");
    }

    private static double RawUnetRunMs(string unetPath, string[] order, bool pipelineStyle = false, TimeSpan gap = default)
    {
        using var sessions = new SharedSessions(ProviderOrder.Parse(order), TimeSpan.FromMinutes(5));
        using var unet = sessions.Acquire(unetPath);
        int latent = Side / 8;
        // values like the pipeline's (unit noise, text states in -1..1), not zeros
        var sample = new EditorBridge.Engines.Diffusion.Schedulers.GaussianNoise(1).Next(2 * 4 * latent * latent);
        var text = new EditorBridge.Engines.Diffusion.Schedulers.GaussianNoise(2).Next(2 * 77 * 768).Select(MathF.Tanh).ToArray();
        using var sampleValue = OrtValue.CreateTensorValueFromMemory(sample, [2, 4, latent, latent]);
        using var timestep = OrtValue.CreateTensorValueFromMemory(new long[] { 500 }, [1]);
        using var textValue = OrtValue.CreateTensorValueFromMemory(text, [2, 77, 768]);
        using var options = new RunOptions();
        string[] names = ["sample", "timestep", "encoder_hidden_states"];
        OrtValue[] inputs = [sampleValue, timestep, textValue];
        var times = new List<double>();
        for (int i = 0; i <= Steps; i++)
        {
            var clock = Stopwatch.StartNew();
            if (pipelineStyle)
            {
                using var fresh = OrtValue.CreateTensorValueFromMemory(sample.ToArray(), [2, 4, latent, latent]);
                using var time = OrtValue.CreateTensorValueFromMemory(new long[] { 500 }, [1]);
                using var callOptions = new RunOptions();
                using var registration = CancellationToken.None.Register(() => callOptions.Terminate = true);
                using var outputs = unet.Session.Run(callOptions, names, [fresh, time, textValue], ["out_sample"]);
                _ = outputs[0].GetTensorDataAsSpan<float>().ToArray();
            }
            else
            {
                using var outputs = unet.Session.Run(options, names, inputs, ["out_sample"]);
            }

            if (i > 0)
                times.Add(clock.Elapsed.TotalMilliseconds);
            for (var busy = Stopwatch.StartNew(); busy.Elapsed < gap;)
                Thread.SpinWait(20);
        }

        times.Sort();
        return times[times.Count / 2];
    }

    private static string Join(IEnumerable<double> ms) => string.Join(" ", ms.Select(m => m.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)));

    private static List<double> UnetRunsAfterDecoder(string store, string[] order, bool decoderSpins)
    {
        var providers = ProviderOrder.Parse(order);
        using var text = SessionOpener.Open(Path.Combine(store, "bench-sd", "vae_decoder", "model.onnx"), providers,
            o => o.AddSessionConfigEntry("session.intra_op.allow_spinning", decoderSpins ? "1" : "0"));
        using var unet = SessionOpener.Open(Path.Combine(store, "bench-sd", "unet", "model.onnx"), providers);
        int latent = Side / 8;
        var sample = new EditorBridge.Engines.Diffusion.Schedulers.GaussianNoise(1).Next(2 * 4 * latent * latent);
        var hidden = new EditorBridge.Engines.Diffusion.Schedulers.GaussianNoise(2).Next(2 * 77 * 768).Select(MathF.Tanh).ToArray();
        using var sampleValue = OrtValue.CreateTensorValueFromMemory(sample, [2, 4, latent, latent]);
        using var timestep = OrtValue.CreateTensorValueFromMemory(new long[] { 500 }, [1]);
        using var textValue = OrtValue.CreateTensorValueFromMemory(hidden, [2, 77, 768]);
        var textInput = text.Session.InputMetadata.First();
        using var idsValue = OrtValue.CreateTensorValueFromMemory(sample[..(4 * latent * latent)], [1, 4, latent, latent]);
        using var options = new RunOptions();
        string[] names = ["sample", "timestep", "encoder_hidden_states"];
        OrtValue[] inputs = [sampleValue, timestep, textValue];
        for (int i = 0; i < 3; i++)
            unet.Session.Run(options, names, inputs, ["out_sample"]).Dispose();
        text.Session.Run(options, [textInput.Key], [idsValue], text.Session.OutputNames).Dispose();
        var times = new List<double>();
        for (int i = 0; i < Steps; i++)
        {
            var clock = Stopwatch.StartNew();
            unet.Session.Run(options, names, inputs, ["out_sample"]).Dispose();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        return times;
    }

    private static EditorBridge.Engines.Diffusion.Runtime.MemoryEstimate Estimate(string store, ExecutionProvider provider)
    {
        var model = EditorBridge.Engines.Diffusion.Models.DiffusionModelScan.Read(Path.Combine(store, "bench-sd"))!;
        string[] components = ["text_encoder", "unet", "vae_decoder"];
        return EditorBridge.Engines.Diffusion.Runtime.MemoryEstimate.For(model, components, _ => false, provider, Side / 8, Side / 8, 2, 64);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? $"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} on {Environment.ProcessorCount} cores" : $"{Environment.ProcessorCount} cores";

    private static long ModelBytes(string store) => new DirectoryInfo(store).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    private static long Rss()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private static long PeakRss()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }
}
