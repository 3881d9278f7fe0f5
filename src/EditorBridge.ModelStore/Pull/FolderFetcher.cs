namespace EditorBridge.ModelStore.Pull;

/// <summary>Brings a partial file to its full size from a mirror folder (a studio's share, a USB disk), resuming the same way.</summary>
internal static class FolderFetcher
{
    public static async Task FetchAsync(string source, FetchJob job, CancellationToken cancellationToken)
    {
        if (!File.Exists(source))
            throw new PullException(PullFailure.NotFound, $"the mirror folder has no {job.Label} (looked for {source})");
        await using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
        job.LearnSize(input.Length, $"the mirror's {source}");
        input.Position = job.Part.Length;
        var buffer = new byte[1 << 20];
        int read;
        while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await job.Part.AppendAsync(buffer.AsMemory(0, read), cancellationToken);
            job.Meter.Fetched(read);
        }
    }
}
