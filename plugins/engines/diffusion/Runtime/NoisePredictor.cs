using EditorBridge.Engines.Diffusion.Models;
using EditorBridge.Inference;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using System.Numerics.Tensors;

namespace EditorBridge.Engines.Diffusion.Runtime;

/// <summary>
/// One UNet evaluation per step: the sample repeated for the text batch (classifier-free guidance
/// in one call of batch 2), the timestep in the dtype and shape the export declares, ControlNet
/// residuals when the UNet takes them, and the guided noise prediction back. The text states are
/// made a tensor once per job (fp16 exports would otherwise convert them every step), and so are
/// SDXL's added conditioning inputs (<c>text_embeds</c>, <c>time_ids</c>) for graphs that take them.
/// </summary>
internal sealed class NoisePredictor : IDisposable
{
    private readonly SessionLease unet;
    private readonly SessionLease? blankControlNet;
    private readonly TextConditioning text;
    private readonly IReadOnlyList<(SessionLease Session, ControlImage Image)> controls;
    private readonly float guidance;
    private readonly IReadOnlyList<string> residualInputs;
    private readonly string outputName;
    private readonly float[]? timeIds;
    private readonly Dictionary<(SessionLease, string), OrtValue> textValues = [];
    private float[][]? zeroResiduals;
    private float[] batchedSample = [];
    private long[][]? residualShapes;

    /// <param name="controls">Each ControlNet with its conditioning image: their residuals, each × its image's scale, are summed.</param>
    /// <param name="blankControlNet">A ControlNet whose residuals' shapes a ControlNet-ready UNet gets as zeros when no control steers the job.</param>
    /// <param name="timeIds">SDXL's size conditioning for one picture (<see cref="SdxlTextConditioning.TimeIds"/>); null for SD 1.x.</param>
    public NoisePredictor(SessionLease unet, IReadOnlyList<(SessionLease Session, ControlImage Image)> controls, SessionLease? blankControlNet, TextConditioning text, float guidance, float[]? timeIds = null)
    {
        this.timeIds = timeIds;
        this.unet = unet;
        this.controls = controls;
        this.blankControlNet = blankControlNet ?? (controls.Count > 0 ? controls[0].Session : null);
        this.text = text;
        this.guidance = guidance;
        residualInputs = UnetInputs.Residuals(unet.Session.InputNames);
        outputName = unet.Session.OutputNames.Contains("out_sample") ? "out_sample" : unet.Session.OutputNames[0];
        if (residualInputs.Count > 0 && this.blankControlNet is null)
            throw new InvalidOperationException($"the UNet takes ControlNet residuals ({string.Join(", ", residualInputs)}) but the model has no ControlNet");
        SampleChannels = (int)unet.Session.InputMetadata[UnetInputs.Sample].Dimensions[1];
    }

    /// <summary>4 for text-to-image UNets, 9 for inpainting ones (-1 when the export leaves it open).</summary>
    public int SampleChannels { get; }

    /// <summary>The conditioning images as they went into the ControlNets' <c>controlnet_cond</c> (tests check size and range).</summary>
    public IReadOnlyList<ControlImage> Fed => controls.Select(c => c.Image).ToList();

    /// <summary>Time spent inside InferenceSession.Run (UNet and ControlNet), for the benchmark.</summary>
    public TimeSpan RunTime { get; private set; }

    /// <summary>Each InferenceSession.Run's milliseconds in call order, for the benchmark (a slow first call shows here, not in a mean).</summary>
    public List<double> RunMilliseconds { get; } = [];

    /// <summary>The guided noise prediction for <paramref name="modelInput"/> ([1, C, h, w]).</summary>
    public float[] Predict(float[] modelInput, int channels, int height, int width, float timestep, CancellationToken cancellationToken)
    {
        int batch = text.Batch;
        long[] shape = [batch, channels, height, width];
        var sample = RepeatInto(ref batchedSample, modelInput, batch);
        var inputs = new List<OrtValue>();
        try
        {
            var names = new List<string> { UnetInputs.Sample, UnetInputs.Timestep };
            inputs.Add(TensorData.Floats(sample, shape, Type(unet, UnetInputs.Sample)));
            inputs.Add(Timestep(unet, timestep, batch));
            var (conditionNames, conditionValues) = Conditioning(unet);
            if (residualInputs.Count > 0)
            {
                var residuals = Residuals(modelInput, height, width, timestep, cancellationToken);
                for (int i = 0; i < residualInputs.Count; i++)
                {
                    names.Add(residualInputs[i]);
                    inputs.Add(TensorData.Floats(residuals[i], residualShapes![i], Type(unet, residualInputs[i])));
                }
            }

            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var outputs = GraphRun.Run(unet.Session, [.. names[..2], .. conditionNames, .. names[2..]], [inputs[0], inputs[1], .. conditionValues, .. inputs[2..]], [outputName], cancellationToken);
            RunTime += clock.Elapsed;
            RunMilliseconds.Add(clock.Elapsed.TotalMilliseconds);
            return Guide(outputs[0], batch);
        }
        finally
        {
            foreach (var value in inputs)
                value.Dispose();
        }
    }

    // Without a control (no control layer, not colorize) a ControlNet-ready UNet gets zero residuals;
    // their shapes come from one ControlNet run on a blank image. Several controls add up (as diffusers'
    // MultiControlNetModel sums its nets' residuals), each scaled by its own weight.
    private float[][] Residuals(float[] modelInput, int height, int width, float timestep, CancellationToken cancellationToken)
    {
        if (controls.Count == 0 && zeroResiduals is not null)
            return zeroResiduals;
        var latents = modelInput[..(4 * height * width)];
        if (controls.Count == 0)
        {
            var blank = new ControlImage(new float[3 * height * 8 * width * 8], width * 8, height * 8, 0);
            zeroResiduals = RunControlNet(blankControlNet!, latents, height, width, blank, timestep, cancellationToken).Select(r => new float[r.Length]).ToArray();
            return zeroResiduals;
        }

        float[][]? sum = null;
        foreach (var (session, image) in controls)
        {
            var residuals = RunControlNet(session, latents, height, width, image, timestep, cancellationToken);
            if (sum is null)
            {
                sum = residuals.Select(r => new float[r.Length]).ToArray();
            }
            else if (residuals.Length != sum.Length)
            {
                throw new InvalidOperationException($"the ControlNets give {sum.Length} and {residuals.Length} residuals");
            }

            for (int k = 0; k < residuals.Length; k++)
                TensorPrimitives.MultiplyAdd(residuals[k], image.Scale, sum[k], sum[k]);
        }

        return sum!;
    }

    private float[][] RunControlNet(SessionLease controlNet, float[] latents, int height, int width, ControlImage cond, float timestep, CancellationToken cancellationToken)
    {
        var session = controlNet.Session;
        int batch = text.Batch;
        var inputs = new List<OrtValue>();
        try
        {
            inputs.Add(TensorData.Floats(Repeat(latents, batch), [batch, 4, height, width], Type(controlNet, UnetInputs.Sample)));
            inputs.Add(Timestep(controlNet, timestep, batch));
            inputs.Add(TensorData.Floats(Repeat(cond.Pixels, batch), [batch, 3, cond.Height, cond.Width], Type(controlNet, "controlnet_cond")));
            var (conditionNames, conditionValues) = Conditioning(controlNet);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var outputs = GraphRun.Run(session, [UnetInputs.Sample, UnetInputs.Timestep, .. conditionNames, "controlnet_cond"], [inputs[0], inputs[1], .. conditionValues, inputs[2]], session.OutputNames, cancellationToken);
            RunTime += clock.Elapsed;
            residualShapes = outputs.Select(TensorData.Shape).ToArray();
            return outputs.Select(TensorData.Read).ToArray();
        }
        finally
        {
            foreach (var value in inputs)
                value.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var value in textValues.Values)
            value.Dispose();
        textValues.Clear();
    }

    /// <summary>The text inputs <paramref name="lease"/>'s graph takes: the hidden states, and SDXL's text_embeds and time_ids.</summary>
    internal (List<string> Names, List<OrtValue> Values) Conditioning(SessionLease lease)
    {
        var names = new List<string> { UnetInputs.Text };
        var values = new List<OrtValue> { Cached(lease, UnetInputs.Text, text.Hidden, text.Shape) };
        if (!UnetInputs.TakesAddedConditioning(lease.Session.InputNames))
            return (names, values);
        if (text.Pooled is null || timeIds is null)
            throw new InvalidOperationException("the graph takes SDXL's text_embeds and time_ids but the model was not encoded as SDXL");
        names.AddRange([UnetInputs.TextEmbeds, UnetInputs.TimeIds]);
        values.Add(Cached(lease, UnetInputs.TextEmbeds, text.Pooled, [text.Batch, text.PooledWidth]));
        values.Add(Cached(lease, UnetInputs.TimeIds, Repeat(timeIds, text.Batch), [text.Batch, timeIds.Length]));
        return (names, values);
    }

    private OrtValue Cached(SessionLease lease, string input, float[] values, long[] shape)
    {
        if (!textValues.TryGetValue((lease, input), out var value))
        {
            value = TensorData.Floats(values, shape, Type(lease, input));
            textValues[(lease, input)] = value;
        }

        return value;
    }

    // uncond + guidance · (cond − uncond), straight from ONNX Runtime's output when it is float32
    private float[] Guide(OrtValue output, int batch)
    {
        if (batch == 1)
            return TensorData.Read(output);
        return output.GetTensorTypeAndShape().ElementDataType == TensorElementType.Float
            ? Guide(output.GetTensorDataAsSpan<float>())
            : Guide(TensorData.Read(output));
    }

    private float[] Guide(ReadOnlySpan<float> prediction)
    {
        int half = prediction.Length / 2;
        var uncond = prediction[..half];
        var guided = new float[half];
        TensorPrimitives.Subtract(prediction[half..], uncond, guided);
        TensorPrimitives.MultiplyAdd(guided, guidance, uncond, guided);
        return guided;
    }

    // Exports differ: float32, float16 or int64; shape [1] (what diffusers feeds even for batch 2) or [batch].
    private static OrtValue Timestep(SessionLease lease, float timestep, int batch)
    {
        var meta = lease.Session.InputMetadata[UnetInputs.Timestep];
        int count = meta.Dimensions.Length == 0 || meta.Dimensions[0] == 1 ? 1 : batch;
        long[] shape = meta.Dimensions.Length == 0 ? [] : [count];
        return TensorData.Numbers(Enumerable.Repeat(timestep, count).ToArray(), shape, meta.ElementDataType);
    }

    private static TensorElementType Type(SessionLease lease, string input) => lease.Session.InputMetadata[input].ElementDataType;

    // the UNet's batched sample, in one buffer kept for the job (it is only read during Run)
    private static float[] RepeatInto(ref float[] buffer, float[] values, int times)
    {
        if (times == 1)
            return values;
        if (buffer.Length != values.Length * times)
            buffer = new float[values.Length * times];
        for (int i = 0; i < times; i++)
            values.CopyTo(buffer, i * values.Length);
        return buffer;
    }

    private static float[] Repeat(float[] values, int times)
    {
        if (times == 1)
            return values;
        var result = new float[values.Length * times];
        for (int i = 0; i < times; i++)
            values.CopyTo(result, i * values.Length);
        return result;
    }
}
