using System.Security.Cryptography;

namespace EditorBridge.ModelStore;

/// <summary>Lower-case hex SHA-256 of a file, read in large blocks so cancelling a multi-gigabyte hash is quick.</summary>
public static class FileDigest
{
    private const int BlockSize = 1 << 20;

    public static string Sha256(string path, CancellationToken cancellationToken = default)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BlockSize, FileOptions.SequentialScan);
        var buffer = new byte[BlockSize];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            hash.AppendData(buffer, 0, read);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
