using EditorBridge.ModelStore.Catalog;

namespace EditorBridge.ModelStore.Pull;

/// <summary>
/// Downloads a catalog model into the store. Partial files wait in <c>&lt;store&gt;/.downloads/&lt;name&gt;/</c>
/// (with <c>state.json</c>: what is verified, what resumes); every file's size and SHA-256 is checked
/// before the model is assembled in a staging folder and installed in one move, so nothing unverified
/// is ever visible. One pull per model at a time (a lock file, across processes); free space is checked
/// first; a licence that needs acceptance is refused unless accepted. Only <see cref="PullAsync"/> uses
/// the network, and only when asked.
/// </summary>
public sealed class ModelPull(ModelStore store, HttpClient http)
{
    public const string DownloadsFolderName = ".downloads";

    public string DownloadsDirectory => Path.Combine(store.Root, DownloadsFolderName);

    /// <summary>
    /// An HttpClient for pulls: the system proxy (on Linux and macOS the HTTPS_PROXY, HTTP_PROXY,
    /// ALL_PROXY and NO_PROXY variables), redirects followed (Hugging Face answers with its CDN), no
    /// overall timeout (a pull of gigabytes takes long; stalls are caught per read instead).
    /// </summary>
    public static HttpClient CreateHttpClient()
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = true,
            AllowAutoRedirect = true,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd($"EditorBridge/{typeof(ModelPull).Assembly.GetName().Version?.ToString(3) ?? "0"}");
        return client;
    }

    public async Task<PullResult> PullAsync(CatalogEntry entry, PullOptions options, IProgress<PullProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (store.Find(entry.Name) is { } installed)
            return AlreadyInstalled(entry, installed);
        RequireAcceptedLicence(entry, options);
        var mirror = MirrorSetting.Parse(options.Mirror);

        using var pullLock = PullLock.Acquire(DownloadsDirectory, entry.Name);
        if (store.Find(entry.Name) is { } justInstalled)
            return AlreadyInstalled(entry, justInstalled); // by the pull that held the lock until now
        var folder = Path.Combine(DownloadsDirectory, entry.Name);
        Directory.CreateDirectory(folder);
        var statePath = Path.Combine(folder, "state.json");
        var state = DownloadState.Load(statePath, entry.Version);
        var trusted = FirstUseHashes.Load(store.Root);
        DiskSpace.EnsureRoom(entry.Name, store.Root, entry.TotalSize - BytesPresent(entry, folder), options.FreeSpaceMargin, options.FreeSpace);

        var meter = new ProgressMeter(entry.TotalSize, progress, options.ProgressInterval);
        var fetch = new FileFetch(entry, folder, state, () => state.Save(statePath), trusted, mirror, new HttpFetcher(http, options), meter);
        var verified = new List<ModelFile>();
        await using (Heartbeat(meter, options.ProgressInterval))
        {
            foreach (var file in entry.Files)
                verified.Add(await fetch.BringAsync(file, cancellationToken));
        }

        meter.Report(force: true);

        var byPath = verified.ToDictionary(v => v.Path, StringComparer.Ordinal);
        var firstUse = entry.Files
            .Where(f => (f.Sha256 is null || f.Size is null) && trusted.Find(f.Url) is null)
            .Select(f => new FirstUseHash(f.Path, byPath[f.Path].Sha256, byPath[f.Path].Size, f.Url))
            .ToList();
        var model = Install(entry, folder, verified, options, cancellationToken);
        if (firstUse.Count > 0)
            trusted.Add(firstUse, DateTimeOffset.UtcNow);
        DeleteQuietly(folder);
        return new PullResult(model.Manifest, firstUse, AlreadyInstalled: false, model.SignatureNamesTaken);
    }

    /// <summary>Reports at the progress interval even while no bytes come (a stalled connection shows its speed falling).</summary>
    private static Timer? Heartbeat(ProgressMeter meter, TimeSpan interval) =>
        interval > TimeSpan.Zero ? new Timer(_ => meter.Report(force: false), null, interval, interval) : null;

    private static void RequireAcceptedLicence(CatalogEntry entry, PullOptions options)
    {
        if (!entry.Licence.RequiresAcceptance || options.LicenceAccepted)
            return;
        throw new PullException(
            PullFailure.LicenceNotAccepted,
            $"'{entry.Name}' is under the {entry.Licence.Id} licence, which must be accepted before it is downloaded: read {entry.Licence.Url} and pull again accepting it (--accept-licence)")
        {
            Licence = entry.Licence,
        };
    }

    private static PullResult AlreadyInstalled(CatalogEntry entry, InstalledModel installed)
    {
        if (installed.Manifest.Version != entry.Version)
            throw new PullException(
                PullFailure.AlreadyInstalled,
                $"'{entry.Name}' is installed as version {installed.Manifest.Version}, the catalog has {entry.Version}; remove it first (editorbridge models remove {entry.Name})");
        return new PullResult(installed.Manifest, [], AlreadyInstalled: true);
    }

    private static long BytesPresent(CatalogEntry entry, string folder) => entry.Files.Sum(file =>
    {
        var done = new FileInfo(ModelPath.Combine(folder, file.Path));
        var part = new FileInfo(ModelPath.Combine(folder, file.Path) + FileFetch.PartSuffix);
        return done.Exists ? done.Length : part.Exists ? Math.Min(part.Length, file.ExpectedSize) : 0;
    });

    private InstalledModel Install(CatalogEntry entry, string folder, List<ModelFile> verified, PullOptions options, CancellationToken cancellationToken)
    {
        var staging = store.NewStagingDirectory(entry.Name);
        foreach (var file in verified)
        {
            var target = ModelPath.Combine(staging, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(ModelPath.Combine(folder, file.Path), target);
        }

        try
        {
            // every byte was hashed as it was written; the store still checks the list, paths and the engines' check
            return store.Install(staging, entry.ToManifest(verified), options.Check, replace: false, filesHashed: true, cancellationToken);
        }
        catch (ModelStoreException e)
        {
            PutBack(staging, folder, verified);
            throw new PullException(
                e.Error == ModelStoreError.AlreadyExists ? PullFailure.AlreadyInstalled : PullFailure.InstallRefused,
                $"'{entry.Name}' was downloaded and verified but not installed: {e.Message}", e);
        }
    }

    /// <summary>Moves the verified files back to the download folder, so a pull after the refusal is fixed does not fetch them again.</summary>
    private static void PutBack(string staging, string folder, List<ModelFile> verified)
    {
        try
        {
            foreach (var file in verified)
            {
                var staged = ModelPath.Combine(staging, file.Path);
                if (File.Exists(staged))
                    File.Move(staged, ModelPath.Combine(folder, file.Path), overwrite: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // what stays in staging is removed when the daemon next starts; the next pull fetches it again
        }

        DeleteQuietly(staging);
    }

    private static void DeleteQuietly(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // an empty download folder left behind is harmless; the next pull reuses it
        }
    }
}
