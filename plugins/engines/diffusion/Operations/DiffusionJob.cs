using EditorBridge.Engines.Diffusion.Models;
using EditorBridge.Engines.Diffusion.Runtime;
using EditorBridge.Engines.Diffusion.Schedulers;
using EditorBridge.Engines.Diffusion.Text;
using EditorBridge.Inference;

namespace EditorBridge.Engines.Diffusion.Operations;

/// <summary>
/// One job on one model: prompt → text conditioning, the starting latents for the operation
/// (noise for generate, the noised picture for the others), the sampling loop, the VAE decode,
/// and the operation's finishing (pixels outside the regenerated area restored, ink kept).
/// </summary>
/// <param name="tokenizers">One per text encoder (<see cref="InstalledDiffusionModel.TextEncoders"/>): SDXL has two.</param>
internal sealed class DiffusionJob(EngineRequest request, InstalledDiffusionModel model, SharedSessions shared, IReadOnlyList<ClipTokenizer> tokenizers, int vaeTileLatents, ExecutionProvider provider)
{
    private readonly EngineImage image = request.Image;
    private readonly int latentWidth = request.Image.Width / 8;
    private readonly int latentHeight = request.Image.Height / 8;

    /// <summary>The control images the last run fed its ControlNets (tests: size and range).</summary>
    public IReadOnlyList<ControlImage> Controls { get; private set; } = [];

    /// <summary>What the last run spent outside and inside InferenceSession.Run per step (benchmark).</summary>
    public (TimeSpan Own, TimeSpan Run, int Steps, IReadOnlyList<double> RunMilliseconds) StepTimes { get; private set; }

    public EngineOutput Run(IProgress<EngineProgress> progress, CancellationToken cancellationToken)
    {
        if (image.Width % 8 != 0 || image.Height % 8 != 0)
            throw new EngineInputException("layer", $"{image.Width}x{image.Height} pixels: diffusion needs sides that are multiples of 8");
        var settings = JobSettings.From(request);
        var source = Source();
        var hole = Hole(source);
        if (request.Operation == DiffusionOperations.Fill && hole is not null)
            source = TransparentFill.Apply(source, hole);
        bool fromPicture = request.Operation != DiffusionOperations.Generate;
        bool colorize = request.Operation == DiffusionOperations.Colorize;
        if (colorize && !model.HasControlNet)
            throw new EngineInputException("model", $"model '{model.Name}' has no ControlNet ({DiffusionLayout.ControlNet}/), which colorize needs");
        var controlLayers = ControlLayerInputs();
        MemoryEstimate.For(model, Components(fromPicture, controlLayers), shared.IsOpen, provider, latentWidth, latentHeight, settings.Batch, vaeTileLatents)
            .Require(request.Operation, image.Width, image.Height, settings.Batch);

        var scheduler = SchedulerFactory.Create(settings.Scheduler, SchedulerConfig.FromModelDirectory(model.Directory));
        scheduler.SetTimesteps(settings.Steps);
        int start = fromPicture ? scheduler.StartIndex(settings.Strength) : 0;
        int total = settings.Steps - start + 1;
        var resolved = new Dictionary<string, object> { ["scheduler"] = scheduler.Name };
        if (start >= settings.Steps)
            return Output(source.Pixels, "cpu", resolved);

        using var sessions = new JobSessions(shared, model);
        var text = Condition(sessions, settings, total, progress, cancellationToken);
        using var predictor = Predictor(sessions, text, settings, colorize, controlLayers);
        Controls = predictor.Fed;
        var noise = new GaussianNoise(request.Seed);
        var initialNoise = noise.Next(4 * latentWidth * latentHeight);
        var vae = new VaeCodec(model.ScalingFactor, vaeTileLatents);
        var (latents, area) = fromPicture
            ? FromPicture(sessions[DiffusionLayout.VaeEncoder], vae, source, hole, predictor.SampleChannels == 9, scheduler, settings.Strength, start, initialNoise, cancellationToken)
            : (Scaled(initialNoise, scheduler.InitNoiseSigma), null);

        var loop = new DenoiseLoop(scheduler, predictor, noise, latentWidth, latentHeight);
        latents = loop.Run(latents, initialNoise, start, area, request.Operation, progress, cancellationToken);
        StepTimes = (loop.OwnTime, predictor.RunTime, settings.Steps - start, predictor.RunMilliseconds);

        progress.Report(new EngineProgress(total - 1, total, "decoding"));
        var decoded = vae.Decode(sessions[DiffusionLayout.VaeDecoder], latents, latentWidth, latentHeight, cancellationToken);
        var pixels = PixelTensors.ToRgba8(decoded, image.Width, image.Height, fromPicture ? source : null);
        Finish(pixels, source, hole, colorize);
        return Output(pixels, sessions[DiffusionLayout.Unet].Device, resolved) with { Controls = controlLayers.Select(c => c.Type).ToList() };
    }

    private string[] Components(bool fromPicture, IReadOnlyList<(string Type, string Component, EngineImage Layer)> controlLayers) =>
    [
        .. model.TextEncoders, DiffusionLayout.Unet, DiffusionLayout.VaeDecoder,
        .. fromPicture ? [DiffusionLayout.VaeEncoder] : Array.Empty<string>(),
        .. new[] { model.HasControlNet ? DiffusionLayout.ControlNet : null }.Concat(controlLayers.Select(c => c.Component)).OfType<string>().Distinct(),
    ];

    // The control layers the request brings (inputs control_TYPE), each with the component serving its type.
    private IReadOnlyList<(string Type, string Component, EngineImage Layer)> ControlLayerInputs()
    {
        var found = new List<(string, string, EngineImage)>();
        foreach (var type in ControlTypes.All)
        {
            var name = ControlTypes.InputName(type);
            if (request.Input(name) is not { } layer)
                continue;
            var component = ControlTypes.ComponentFor(model.Directory, type)
                ?? throw new EngineInputException($"inputs.{name}", $"model '{model.Name}' has no {type} ControlNet ({ControlTypes.Component(type)}/); models with one: see GetInfo's inputs for this operation");
            if (layer.Width != image.Width || layer.Height != image.Height)
                throw new EngineInputException($"inputs.{name}", $"{layer.Width}x{layer.Height} pixels for a {image.Width}x{image.Height} work area");
            found.Add((type, component, layer));
        }

        return found;
    }

    private TextConditioning Condition(JobSessions sessions, JobSettings settings, int total, IProgress<EngineProgress> progress, CancellationToken cancellationToken)
    {
        progress.Report(new EngineProgress(0, total, "encoding the prompt"));
        var text = model.IsXL
            ? SdxlTextConditioning.Encode(model.TextEncoders.Select((component, i) => (tokenizers[i], sessions[component])).ToList(),
                settings.Prompt, settings.NegativePrompt, settings.Guided, model.ZeroEmptyNegative, cancellationToken)
            : TextConditioning.Encode(tokenizers[0], sessions[DiffusionLayout.TextEncoder], settings.Prompt, settings.NegativePrompt, settings.Guided, cancellationToken);
        if (text.Prompt.Truncated)
            progress.Report(new EngineProgress(0, total, $"prompt truncated: {text.Prompt.DroppedTokenCount} tokens from \"{text.Prompt.DroppedText}\" on are beyond CLIP's 77 and were dropped"));
        return text;
    }

    private NoisePredictor Predictor(JobSessions sessions, TextConditioning text, JobSettings settings, bool colorize, IReadOnlyList<(string Type, string Component, EngineImage Layer)> controlLayers)
    {
        var unet = sessions[DiffusionLayout.Unet];
        bool takesResiduals = UnetInputs.Residuals(unet.Session.InputNames).Count > 0;
        if (colorize && !takesResiduals)
            throw new EngineInputException("model", $"model '{model.Name}': its UNet takes no ControlNet residuals, so its ControlNet cannot steer it");
        if (controlLayers.Count > 0 && !takesResiduals)
            throw new EngineInputException($"inputs.{ControlTypes.InputName(controlLayers[0].Type)}", $"model '{model.Name}': its UNet takes no ControlNet residuals, so a control layer cannot steer it");
        var controls = new List<(SessionLease, ControlImage)>();
        if (colorize)
            controls.Add((sessions[DiffusionLayout.ControlNet], Control()));
        float strength = request.Parameters.ContainsKey(ControlStrength) ? (float)request.Number(ControlStrength) : 1f;
        foreach (var (type, component, layer) in controlLayers)
            controls.Add((sessions[component], ControlLayers.Extract(type, layer, strength)));
        var blank = takesResiduals && controls.Count == 0 ? sessions[model.HasControlNet ? DiffusionLayout.ControlNet : ControlTypes.Folders(model.Directory)[0]] : null;
        return new NoisePredictor(unet, controls, blank, text, settings.Guidance,
            model.IsXL ? SdxlTextConditioning.TimeIds(image.Width, image.Height) : null);
    }

    /// <summary>The weight of every control layer's ControlNet (a parameter of the operations that take control layers).</summary>
    public const string ControlStrength = "control_strength";

    // img2img start: the picture's latents noised to the start step (pure noise at strength 1, as
    // diffusers), and the area to regenerate when only part of it is (or the UNet takes a mask).
    private (float[] Latents, RegenerationArea? Area) FromPicture(SessionLease encoder, VaeCodec vae, EngineImage source, byte[]? hole, bool inpaintingUnet,
        IScheduler scheduler, double strength, int start, float[] initialNoise, CancellationToken cancellationToken)
    {
        var signed = PixelTensors.ToSigned(source);
        var clean = vae.Encode(encoder, signed, image.Width, image.Height, cancellationToken);
        var latents = start == 0 && strength >= 1 ? Scaled(initialNoise, scheduler.InitNoiseSigma) : scheduler.AddNoise(clean, initialNoise, start);
        if (hole is null && !inpaintingUnet)
            return (latents, null);
        var coverage = hole ?? Enumerable.Repeat((byte)255, image.Width * image.Height).ToArray();
        var masked = inpaintingUnet ? vae.Encode(encoder, PixelTensors.MaskedSigned(signed, coverage), image.Width, image.Height, cancellationToken) : [];
        return (latents, new RegenerationArea(PixelTensors.LatentMask(coverage, image.Width, image.Height), clean, masked));
    }

    private EngineOutput Output(byte[] pixels, string device, IReadOnlyDictionary<string, object> resolved) =>
        new(new EngineImage(image.Width, image.Height, pixels), device, model.Identity, resolved) { ModelName = model.Name };

    // compose works on the object pasted over the layer; the other operations on the layer itself.
    private EngineImage Source()
    {
        if (request.Operation != DiffusionOperations.Compose)
            return image;
        var paste = request.Input(InputDescriptor.Object)
            ?? throw new EngineInputException($"inputs.{InputDescriptor.Object}", "missing; compose needs the pasted object layer");
        if (paste.Width != image.Width || paste.Height != image.Height)
            throw new EngineInputException($"inputs.{InputDescriptor.Object}", $"{paste.Width}x{paste.Height} pixels for a {image.Width}x{image.Height} work area");
        var pixels = new byte[image.Pixels.Length];
        for (int p = 0; p < pixels.Length; p += 4)
        {
            float a = paste.Pixels[p + 3] / 255f, under = image.Pixels[p + 3] / 255f;
            float outA = a + under * (1 - a);
            for (int c = 0; c < 3; c++)
                pixels[p + c] = outA <= 0 ? (byte)0 : (byte)Math.Clamp(MathF.Round((paste.Pixels[p + c] * a + image.Pixels[p + c] * under * (1 - a)) / outA), 0, 255);
            pixels[p + 3] = (byte)Math.Clamp(MathF.Round(outA * 255), 0, 255);
        }

        return new EngineImage(image.Width, image.Height, pixels);
    }

    // The pixels to regenerate: fill's selection; compose's seam band (within the selection); the selection for the others, if any.
    private byte[]? Hole(EngineImage source)
    {
        var selection = request.Mask?.Coverage;
        if (request.Operation == DiffusionOperations.Fill && selection is null)
            throw new EngineInputException("mask", "fill needs a selection");
        if (request.Operation != DiffusionOperations.Compose)
            return selection;
        var paste = request.Input(InputDescriptor.Object)!;
        var shape = new bool[image.Width * image.Height];
        for (int p = 0; p < shape.Length; p++)
            shape[p] = paste.Pixels[p * 4 + 3] >= 128;
        if (!shape.Contains(true))
            throw new EngineInputException($"inputs.{InputDescriptor.Object}", "the pasted object is fully transparent in the work area: nothing to blend");
        var band = SeamBand.Compute(shape, image.Width, image.Height, Math.Max(1, request.Integer("seam_width") / 2));
        if (selection is not null)
        {
            for (int p = 0; p < band.Length; p++)
                band[p] = selection[p] == 0 ? (byte)0 : band[p];
        }

        return band;
    }

    // Line-art ControlNets are trained on light lines on black: dark lines on paper are inverted.
    private ControlImage Control()
    {
        double luminance = 0;
        for (int p = 0; p < image.Pixels.Length; p += 4)
            luminance += (image.Pixels[p] + image.Pixels[p + 1] + image.Pixels[p + 2]) / (3 * 255.0);
        bool paper = luminance / (image.Width * image.Height) > 0.5;
        return new ControlImage(PixelTensors.ToUnit(image, invert: paper), image.Width, image.Height, (float)request.Number("line_strength"));
    }

    // Outside the hole the source comes back as it was; inside it, fill paints opaque where the layer had
    // nothing (alpha 0: new canvas when outpainting), and keeps the layer's alpha elsewhere.
    private void Finish(byte[] pixels, EngineImage source, byte[]? hole, bool colorize)
    {
        if (hole is not null)
        {
            bool fill = request.Operation == DiffusionOperations.Fill;
            for (int p = 0; p < hole.Length; p++)
            {
                if (hole[p] == 0)
                    Array.Copy(source.Pixels, p * 4, pixels, p * 4, 4);
                else if (fill && pixels[p * 4 + 3] == 0)
                    pixels[p * 4 + 3] = 255;
            }
        }

        if (colorize && request.Flag("keep_ink"))
        {
            for (int i = 0; i < pixels.Length; i++)
            {
                if ((i & 3) != 3)
                    pixels[i] = Math.Min(pixels[i], image.Pixels[i]);
            }
        }
    }

    private static float[] Scaled(float[] values, float factor) => values.Select(v => v * factor).ToArray();
}
