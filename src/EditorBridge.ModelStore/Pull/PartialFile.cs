using System.Security.Cryptography;

namespace EditorBridge.ModelStore.Pull;

/// <summary>
/// A file being downloaded (<c>&lt;path&gt;.part</c>): bytes are appended and hashed as they arrive; a
/// resumed download first hashes what is already on disk, so the finished hash always covers every byte.
/// </summary>
internal sealed class PartialFile : IDisposable
{
    private readonly FileStream stream;
    private readonly string label;
    private IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    private PartialFile(FileStream stream, string label)
    {
        this.stream = stream;
        this.label = label;
    }

    public long Length { get; private set; }

    /// <summary>Opens (or creates) the partial file; one longer than <paramref name="expectedSize"/> cannot be a prefix and starts over.</summary>
    public static async Task<PartialFile> OpenAsync(string path, long? expectedSize, string label, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous);
        var file = new PartialFile(stream, label);
        try
        {
            if (stream.Length > expectedSize)
                stream.SetLength(0);
            await file.HashExistingAsync(cancellationToken);
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public async ValueTask AppendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        try
        {
            await stream.WriteAsync(bytes, cancellationToken);
        }
        catch (IOException e) when (IsDiskFull(e))
        {
            throw new PullException(PullFailure.DiskFull, $"the disk is full: writing {label} failed after {DiskSpace.Bytes(Length)} ({e.Message}); free some space and pull again, it resumes", e);
        }

        hash.AppendData(bytes.Span);
        Length += bytes.Length;
    }

    /// <summary>Throws the bytes away (the server sent the whole file, or they were wrong).</summary>
    public void Restart()
    {
        stream.SetLength(0);
        stream.Position = 0;
        Length = 0;
        hash.Dispose();
        hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    }

    public async Task FlushAsync(CancellationToken cancellationToken) => await stream.FlushAsync(cancellationToken);

    /// <summary>Lower-case hex SHA-256 of all bytes; the file stays as it is.</summary>
    public string Sha256() => Convert.ToHexStringLower(hash.GetCurrentHash());

    public void Dispose()
    {
        hash.Dispose();
        stream.Dispose();
    }

    private async Task HashExistingAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 20];
        long existing = stream.Length;
        stream.Position = 0;
        int read;
        while (Length < existing && (read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, existing - Length)), cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            Length += read;
        }
    }

    // ENOSPC (28) and EDQUOT (122) on Unix; ERROR_HANDLE_DISK_FULL (39) and ERROR_DISK_FULL (112) on Windows.
    private static bool IsDiskFull(IOException e) =>
        OperatingSystem.IsWindows() ? (e.HResult & 0xFFFF) is 39 or 112 : e.HResult is 28 or 122;
}
