using EditorBridge.Daemon.Core;
using EditorBridge.Imaging;

namespace EditorBridge.Daemon.Jobs;

/// <summary>
/// What a job tells its client, in order: waiting (with its place), started, progress and
/// previews, then exactly one <see cref="Succeeded"/> or <see cref="Failed"/>, which ends the stream.
/// The transport turns each into its own message (<c>Wire/JobWire</c>).
/// </summary>
public abstract record JobUpdate
{
    private JobUpdate()
    {
    }

    /// <summary>Waiting for its device lane; 0 = next.</summary>
    public sealed record Queued(int Position) : JobUpdate;

    public sealed record Started(string Engine, string Device) : JobUpdate;

    public sealed record Progress(int Step, int Total, double Fraction, string Stage) : JobUpdate;

    /// <summary>A small RGBA8 picture of the work so far (<see cref="Previews"/>), in canvas coordinates where it has them.</summary>
    public sealed record Preview(Raster Image) : JobUpdate;

    public sealed record Succeeded(JobResult Result) : JobUpdate;

    /// <summary>The job failed or was cancelled; <paramref name="Field"/> names the request field at fault (empty: none).</summary>
    public sealed record Failed(DaemonError Error, string Message, string Field = "") : JobUpdate;
}
