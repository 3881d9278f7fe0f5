namespace EditorBridge.Engines;

/// <summary>Progress of a running engine; <see cref="Preview"/> is optional and may be small.</summary>
public sealed record EngineProgress(int Step, int Total, string Stage, EngineImage? Preview = null)
{
    public double Fraction => Total <= 0 ? 0 : Math.Clamp((double)Step / Total, 0, 1);
}
