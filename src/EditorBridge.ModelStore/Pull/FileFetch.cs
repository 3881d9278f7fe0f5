using EditorBridge.ModelStore.Catalog;

namespace EditorBridge.ModelStore.Pull;

/// <summary>
/// Brings one catalog file of a pull to the download folder, verified: skips a file an earlier try
/// already verified, resumes a partial one, fetches from the publisher or the mirror, then checks size and
/// SHA-256 (the published ones, else those recorded on first use) and moves it to its final name.
/// </summary>
internal sealed class FileFetch(
    CatalogEntry entry,
    string folder,
    DownloadState state,
    Action saveState,
    FirstUseHashes trusted,
    MirrorSetting mirror,
    HttpFetcher http,
    ProgressMeter meter)
{
    public const string PartSuffix = ".part";

    public async Task<ModelFile> BringAsync(CatalogFile file, CancellationToken cancellationToken)
    {
        var record = state.For(file.Path);
        var final = ModelPath.Combine(folder, file.Path);
        var recorded = trusted.Find(file.Url);
        long? size = file.Size ?? recorded?.Size;
        if (record.Sha256 is { } sha && File.Exists(final) && new FileInfo(final).Length is var length && length == (size ?? record.Size))
        {
            meter.BeginFile(file.Path, length);
            return new ModelFile(file.Path, length, sha);
        }

        var label = $"{entry.Name}/{file.Path}";
        long done;
        using (var part = await PartialFile.OpenAsync(final + PartSuffix, size ?? record.Size, label, cancellationToken))
        {
            meter.BeginFile(file.Path, part.Length);
            var job = new FetchJob(label, size ?? record.Size, part, record, saveState, meter);
            if (mirror.Folder is not null)
                await FolderFetcher.FetchAsync(mirror.PathOf(entry.Name, file.Path), job, cancellationToken);
            else
                await http.FetchAsync(mirror.UrlOf(entry.Name, file.Path, file.Url), job, cancellationToken);
            await part.FlushAsync(cancellationToken);
            record.Sha256 = Verify(file, part, label, recorded);
            done = part.Length;
        }

        File.Move(final + PartSuffix, final, overwrite: true);
        saveState();
        return new ModelFile(file.Path, done, record.Sha256);
    }

    private string Verify(CatalogFile file, PartialFile part, string label, FirstUseHashes.Recorded? recorded)
    {
        var actual = part.Sha256();
        var expected = file.Sha256 ?? recorded?.Sha256;
        if (expected is null || actual == expected)
            return actual;

        meter.Discarded(part.Length);
        part.Restart();
        var whose = file.Sha256 is not null ? "the publisher's" : $"the one recorded at its first pull on {recorded!.RecordedAt:yyyy-MM-dd}";
        throw new PullException(
            PullFailure.Corrupt,
            $"{label} is not the published file: SHA-256 {actual}, expected {whose} {expected}; the download was discarded and nothing was installed");
    }
}
