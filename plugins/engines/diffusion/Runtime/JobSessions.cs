using EditorBridge.Engines.Diffusion.Models;
using EditorBridge.Inference;

namespace EditorBridge.Engines.Diffusion.Runtime;

/// <summary>
/// A job's leases on the model's shared sessions, taken when first needed (a text-to-image job
/// never opens the VAE encoder) and returned together when the job ends.
/// </summary>
internal sealed class JobSessions(SharedSessions shared, InstalledDiffusionModel model) : IDisposable
{
    private readonly Dictionary<string, SessionLease> leases = new(StringComparer.Ordinal);

    public InstalledDiffusionModel Model => model;

    public SessionLease this[string component]
    {
        get
        {
            if (!leases.TryGetValue(component, out var lease))
            {
                lease = shared.Acquire(model.GraphPath(component));
                leases[component] = lease;
            }

            return lease;
        }
    }

    public void Dispose()
    {
        foreach (var lease in leases.Values)
            lease.Dispose();
        leases.Clear();
    }
}
