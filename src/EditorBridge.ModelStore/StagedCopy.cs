using System.Security.Cryptography;

namespace EditorBridge.ModelStore;

/// <summary>Copies a file into a staging folder in large blocks, hashing on the way, so a folder is read once.</summary>
internal static class StagedCopy
{
    private const int BlockSize = 1 << 20;

    public static ModelFile Copy(string source, string targetDirectory, string relative, CancellationToken cancellationToken)
    {
        var target = ModelPath.Combine(targetDirectory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, BlockSize, FileOptions.SequentialScan);
        using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, BlockSize);
        var buffer = new byte[BlockSize];
        long size = 0;
        int read;
        while ((read = input.Read(buffer)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            hash.AppendData(buffer, 0, read);
            output.Write(buffer, 0, read);
            size += read;
        }

        output.Flush(flushToDisk: true);
        return new ModelFile(relative, size, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
