using EditorBridge.Engines.Diffusion.Schedulers;

namespace EditorBridge.Engines.Diffusion.Runtime;

/// <summary>
/// The sampling loop: from the start step to the last, scale the input, predict the noise, step
/// the sampler. A 9-channel UNet gets the mask and masked-image latents beside the latents; a
/// 4-channel one keeps the cells outside the mask at the original latents noised to the current
/// level (latent-mask blending). Progress every step, a latent preview every few, cancellation
/// between steps (and inside a step through the run's terminate flag).
/// </summary>
internal sealed class DenoiseLoop(IScheduler scheduler, NoisePredictor predictor, GaussianNoise noise, int latentWidth, int latentHeight)
{
    public const int PreviewEvery = 4;

    /// <summary>Time spent in this loop outside InferenceSession.Run (the pipeline's own per-step cost), for the benchmark.</summary>
    public TimeSpan OwnTime { get; private set; }

    public float[] Run(float[] latents, float[] initialNoise, int startIndex, RegenerationArea? area, string stage, IProgress<EngineProgress> progress, CancellationToken cancellationToken)
    {
        int steps = scheduler.Timesteps.Count;
        int plane = latentWidth * latentHeight;
        bool inpaintingUnet = predictor.SampleChannels == 9;
        if (inpaintingUnet && area is null)
            area = new RegenerationArea(Enumerable.Repeat(1f, plane).ToArray(), new float[4 * plane], new float[4 * plane]);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var runBefore = predictor.RunTime;
        for (int i = startIndex; i < steps; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var input = scheduler.ScaleModelInput(latents, i);
            int channels = 4;
            if (inpaintingUnet)
            {
                input = [.. input, .. area!.Mask, .. area.MaskedLatents];
                channels = 9;
            }

            var eps = predictor.Predict(input, channels, latentHeight, latentWidth, scheduler.Timesteps[i], cancellationToken);
            latents = scheduler.Step(eps, i, latents, noise);
            if (area is not null && !inpaintingUnet)
                KeepOutside(latents, area, i + 1 < steps ? scheduler.AddNoise(area.Original, initialNoise, i + 1) : area.Original);
            // one more step than the sampler runs: the VAE decode after it
            int done = i - startIndex + 1, total = steps - startIndex + 1;
            var preview = done % PreviewEvery == 0 ? LatentPreview.Render(latents, latentWidth, latentHeight) : null;
            progress.Report(new EngineProgress(done, total, stage, preview));
        }

        OwnTime = clock.Elapsed - (predictor.RunTime - runBefore);
        return latents;
    }

    private void KeepOutside(float[] latents, RegenerationArea area, float[] known)
    {
        int plane = latentWidth * latentHeight;
        for (int c = 0; c < 4; c++)
        {
            for (int p = 0; p < plane; p++)
            {
                float m = area.Mask[p];
                int k = c * plane + p;
                latents[k] = m * latents[k] + (1 - m) * known[k];
            }
        }
    }
}
