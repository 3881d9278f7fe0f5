namespace EditorBridge.Engines.Diffusion.Schedulers;

/// <summary>
/// A diffusion sampler over flat latent tensors (any shape, element-wise math). Call
/// <see cref="SetTimesteps"/> first, then <see cref="Step"/> once per index in order: multistep
/// samplers keep the previous model outputs between calls, and <see cref="SetTimesteps"/> resets them.
/// </summary>
public interface IScheduler
{
    /// <summary>The factory name: ddim, euler, euler_a, dpmpp_2m_karras, lcm.</summary>
    string Name { get; }

    SchedulerConfig Config { get; }

    void SetTimesteps(int steps);

    /// <summary>The values fed to the UNet's <c>timestep</c> input, one per step, noisiest first.</summary>
    IReadOnlyList<float> Timesteps { get; }

    /// <summary>Noise levels of the sigma-space samplers (steps + 1 values, ending in 0); empty for DDIM and LCM.</summary>
    IReadOnlyList<float> Sigmas { get; }

    /// <summary>Standard deviation of the initial noise for txt2img: multiply unit Gaussian latents by it.</summary>
    float InitNoiseSigma { get; }

    /// <summary>The UNet input for this step (a new array; <paramref name="sample"/> is not changed).</summary>
    float[] ScaleModelInput(float[] sample, int stepIndex);

    /// <summary>One denoising step: the sample at the next (less noisy) step, as a new array.</summary>
    /// <param name="noise">Used by the stochastic samplers (Euler ancestral, LCM); the others draw nothing.</param>
    float[] Step(float[] modelOutput, int stepIndex, float[] sample, GaussianNoise noise);

    /// <summary>Noises a clean latent to the level the sampler expects at <paramref name="stepIndex"/> (img2img, inpaint).</summary>
    float[] AddNoise(float[] original, float[] noise, int stepIndex);

    /// <summary>The first step to run for img2img at <paramref name="strength"/> (0..1): 1 runs every step, 0 none.</summary>
    int StartIndex(double strength);
}
