using EditorBridge.Imaging;

namespace EditorBridge.Daemon.Core;

/// <summary>Daemon settings (section "EditorBridge" of configuration, or command-line flags).</summary>
public sealed class DaemonOptions
{
    /// <summary>Port for gRPC (HTTP/2 cleartext). 0 picks a free one.</summary>
    public int GrpcPort { get; set; }

    /// <summary>Port for JSON over HTTP/1.1. 0 picks a free one.</summary>
    public int HttpPort { get; set; }

    /// <summary>
    /// Also serve gRPC on the Unix-domain socket <c>grpc.sock</c> in the state folder (owner-only;
    /// local .NET clients then prefer it). Not on Windows. Off by default: measured, it moved layers
    /// no faster than TCP loopback (slower at 4096², docs/benchmarks.md, <c>-- uds</c>).
    /// </summary>
    public bool GrpcUnixSocket { get; set; }

    /// <summary>Per-user state folder (token, discovery file). Empty: the platform default.</summary>
    public string? StateDirectory { get; set; }

    /// <summary>Folder with one sub-folder per engine plugin. Empty: "engines" beside the daemon.</summary>
    public string? EnginesDirectory { get; set; }

    /// <summary>
    /// A second folder of engine plugins, loaded after <see cref="EnginesDirectory"/> the same way
    /// (e.g. engines installed apart from the program, or the test suite's fault engine). Empty: none.
    /// Set in settings.json or as <c>EDITORBRIDGE_ExtraEnginesDirectory</c>.
    /// </summary>
    public string? ExtraEnginesDirectory { get; set; }

    /// <summary>The per-user model store. Empty: EDITORBRIDGE_MODELS_DIR, else the platform default.</summary>
    public string? ModelsDirectory { get; set; }

    /// <summary>
    /// Where PullModel fetches model files instead of their publishers: an http(s) base URL or a folder
    /// holding <c>&lt;name&gt;/&lt;file path&gt;</c> (studios without internet). A request's own mirror wins. Empty: the publishers.
    /// </summary>
    public string? ModelMirror { get; set; }

    /// <summary>A catalog JSON file (the built-in catalog's format) used instead of the built-in catalog. Empty: the built-in one.</summary>
    public string? ModelCatalogFile { get; set; }

    /// <summary>
    /// Execution providers model-backed engines try, best first, falling back along the list
    /// ("directml", "cuda", "cpu"). Empty: the platform's default order.
    /// </summary>
    public List<string> ExecutionProviders { get; set; } = [];

    /// <summary>Models unused for this many seconds are unloaded (memory, GPU memory back).</summary>
    public int ModelIdleReleaseSeconds { get; set; } = 300;

    public LimitsOptions Limits { get; set; } = new();

    /// <summary>The optional network listener (TLS + per-user tokens) of a studio's shared daemon.</summary>
    public RemoteOptions Remote { get; set; } = new();

    public GeometrySettings Geometry { get; set; } = GeometrySettings.Default;

    /// <summary>
    /// Offer pixel regions (shared memory) to clients on this machine (CreatePixelRegion). Off: they
    /// are refused (FAILED_PRECONDITION) and clients send bytes. Turn it off behind a proxy that
    /// makes remote clients look local.
    /// </summary>
    public bool SharedMemory { get; set; } = true;

    /// <summary>How many finished jobs ListJobs remembers.</summary>
    public int FinishedJobsKept { get; set; } = 50;
}
