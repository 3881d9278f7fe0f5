namespace EditorBridge.Engines.Diffusion.Schedulers;

/// <summary>Creates a sampler by the name a request uses.</summary>
public static class SchedulerFactory
{
    public static IReadOnlyList<string> Names { get; } = ["ddim", "euler", "euler_a", "dpmpp_2m_karras", "lcm"];

    /// <exception cref="EngineInputException">Unknown name (field "scheduler"), listing the known ones.</exception>
    public static IScheduler Create(string name, SchedulerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return name.Trim().ToLowerInvariant() switch
        {
            "ddim" => new DdimScheduler(config),
            "euler" => new EulerScheduler(config),
            "euler_a" => new EulerAncestralScheduler(config),
            "dpmpp_2m_karras" => new DpmSolverMultistepScheduler(config),
            "lcm" => new LcmScheduler(config),
            _ => throw new EngineInputException("scheduler", $"unknown scheduler '{name}'; known: {string.Join(", ", Names)}"),
        };
    }
}
