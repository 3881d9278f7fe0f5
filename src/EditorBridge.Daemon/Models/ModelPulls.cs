using System.Threading.Channels;
using EditorBridge.Daemon.Core;
using EditorBridge.ModelStore.Catalog;
using EditorBridge.ModelStore.Pull;
using Microsoft.Extensions.Options;

namespace EditorBridge.Daemon.Models;

/// <summary>
/// ListCatalog and PullModel: the catalog (built in, or the ModelCatalogFile setting) and downloads into
/// the store with progress reported to the caller, checked by the engines, after which the engines describe
/// themselves again. The only place the daemon uses the network, and only when a client asks.
/// </summary>
public sealed class ModelPulls(InstalledModels models, IOptions<DaemonOptions> options, ILogger<ModelPulls> logger) : IDisposable
{
    private readonly HttpClient http = ModelPull.CreateHttpClient();
    private readonly Lazy<ModelCatalog> catalog = new(() =>
        string.IsNullOrEmpty(options.Value.ModelCatalogFile) ? ModelCatalog.BuiltIn : ModelCatalog.Load(options.Value.ModelCatalogFile));

    public IReadOnlyList<CatalogItem> ListCatalog() =>
        [.. Catalog.Entries.Select(entry => new CatalogItem(entry, models.Store.Find(entry.Name)))];

    /// <summary>
    /// Pulls a catalog model, telling <paramref name="report"/> how it goes (<see cref="PullUpdate"/>);
    /// a failed pull is reported, then thrown as a <see cref="RequestException"/>.
    /// </summary>
    public async Task PullAsync(ModelPullRequest request, Func<PullUpdate, Task> report, CancellationToken cancellationToken)
    {
        var entry = Find(request.Name);
        var pullOptions = new PullOptions
        {
            Mirror = request.Mirror.Length > 0 ? request.Mirror : options.Value.ModelMirror,
            LicenceAccepted = request.AcceptLicence,
            Check = models.EngineCheck,
        };
        logger.LogInformation("pulling model {Model} ({Bytes} bytes) from {Source}", entry.Name, entry.TotalSize, pullOptions.Mirror ?? "its publisher");
        var reports = Channel.CreateBounded<PullProgress>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        var pull = RunAsync(entry, pullOptions, reports.Writer, cancellationToken);
        await foreach (var progress in reports.Reader.ReadAllAsync(cancellationToken))
            await report(new PullUpdate.Progress(progress));

        PullResult result;
        try
        {
            result = await pull;
        }
        catch (PullException e)
        {
            logger.LogWarning("pull of {Model} failed: {Message}", entry.Name, e.Message);
            throw await RefuseAsync(report, e);
        }

        if (!result.AlreadyInstalled)
        {
            models.ModelsChanged();
            logger.LogInformation("pulled model {Model} ({Identity}); {FirstUse} hash(es) recorded on first use", entry.Name, result.Manifest.Identity(), result.FirstUseHashes.Count);
            if (result.SignatureNamesTaken.Count > 0)
                logger.LogInformation("model {Model}: signature names taken from the model: {Names}", entry.Name, string.Join("; ", result.SignatureNamesTaken));
        }

        var installed = models.Store.Find(entry.Name) ?? throw new InvalidOperationException($"model {entry.Name} vanished right after its install");
        await report(new PullUpdate.Done(result, installed));
    }

    public void Dispose() => http.Dispose();

    private async Task<PullResult> RunAsync(CatalogEntry entry, PullOptions pullOptions, ChannelWriter<PullProgress> reports, CancellationToken cancellationToken)
    {
        try
        {
            // off the request thread: hashing a resumed file and moving files are blocking work
            return await Task.Run(() => new ModelPull(models.Store, http).PullAsync(entry, pullOptions, new ChannelProgress(reports), cancellationToken), cancellationToken);
        }
        finally
        {
            reports.TryComplete();
        }
    }

    private CatalogEntry Find(string name)
    {
        if (string.IsNullOrEmpty(name))
            throw RequestException.Invalid("name", "missing; the name of a catalog model (ListCatalog)");
        return Catalog.Find(name) ?? throw new RequestException(DaemonError.NotFound, "name",
            $"no model '{(name.Length > 64 ? name[..64] : name)}' in the catalog; known: {string.Join(", ", Catalog.Entries.Select(e => e.Name))}");
    }

    /// <summary>The catalog; a ModelCatalogFile setting that cannot be read is the daemon's configuration problem, said so.</summary>
    private ModelCatalog Catalog
    {
        get
        {
            try
            {
                return catalog.Value;
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                throw new RequestException(DaemonError.Precondition, "", $"the daemon's ModelCatalogFile setting: {e.Message}");
            }
        }
    }

    private static async Task<RequestException> RefuseAsync(Func<PullUpdate, Task> report, PullException e)
    {
        var (error, field) = ModelStoreErrors.ErrorFor(e.Failure);
        if (e.Licence is { } licence)
            await report(new PullUpdate.LicenceNeeded(licence.Id, licence.Url ?? ""));
        await report(new PullUpdate.Failed(error, e.Message));
        return new RequestException(error, field, e.Message);
    }

    private sealed class ChannelProgress(ChannelWriter<PullProgress> writer) : IProgress<PullProgress>
    {
        public void Report(PullProgress value) => writer.TryWrite(value);
    }
}
