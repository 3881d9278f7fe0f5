using EditorBridge.Engines.Onnx;
using EditorBridge.Inference;
using EditorBridge.ModelStore;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

// Usage: EditorBridge.OnnxStartup FOLDER [THREADS]
// FOLDER holds an upscaler model as the store keeps it (manifest.json + model.onnx, input "input"
// float [1,3,h,w] → "output" [1,3,4h,4w]; the test writes a tiny one). Releases THREADS threads at once, each making its first ONNX Runtime call by a different path the
// engines use: a session opened and run (SessionOpener), a model check (the onnx engine's CheckModel,
// as the store calls it on import), the providers this build has. Prints "ok: N threads" and exits 0,
// or prints each failure and exits 1.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: EditorBridge.OnnxStartup FOLDER [THREADS]");
    return 2;
}

var folder = args[0];
int threads = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 12;
var model = Path.Combine(folder, "model.onnx");

using var start = new Barrier(threads);
var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
var workers = Enumerable.Range(0, threads).Select(i => new Thread(() =>
{
    try
    {
        start.SignalAndWait();
        switch (i % 3)
        {
            case 0:
                using (var opened = SessionOpener.Open(model, [ExecutionProvider.Cpu]))
                {
                    var input = new DenseTensor<float>(new float[3 * 4 * 4], [1, 3, 4, 4]);
                    using var results = opened.Session.Run([NamedOnnxValue.CreateFromTensor("input", input)]);
                    if (results.First().AsTensor<float>().Length != 3 * 16 * 16)
                        failures.Enqueue($"thread {i}: the session's answer has the wrong size");
                }

                break;
            case 1:
                using (var engine = new OnnxEngine())
                {
                    var problems = engine.CheckModel(folder, ModelKind.Upscale);
                    if (problems.Count > 0)
                        failures.Enqueue($"thread {i}: model check: {string.Join("; ", problems)}");
                }

                break;
            default:
                if (!ProviderOrder.InThisBuild([ExecutionProvider.Cpu]).Contains(ExecutionProvider.Cpu))
                    failures.Enqueue($"thread {i}: no CPU provider");
                break;
        }
    }
    catch (Exception e)
    {
        failures.Enqueue($"thread {i}: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
    }
})).ToList();
workers.ForEach(w => w.Start());
workers.ForEach(w => w.Join());

foreach (var failure in failures)
    Console.WriteLine(failure);
if (!failures.IsEmpty)
    return 1;
Console.WriteLine($"ok: {threads} threads");
return 0;
