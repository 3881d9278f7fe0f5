using System.Security.Cryptography;
using EditorBridge.Imaging;

namespace EditorBridge.PaintDotNet.Core;

/// <summary>SHA-256 of a selection's bounds and coverage: tells whether a cached result belongs to this selection.</summary>
public static class MaskFingerprint
{
    public static string Of(SelectionMask mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> header = stackalloc byte[16];
        BitConverter.TryWriteBytes(header[..4], mask.Bounds.X);
        BitConverter.TryWriteBytes(header[4..8], mask.Bounds.Y);
        BitConverter.TryWriteBytes(header[8..12], mask.Bounds.Width);
        BitConverter.TryWriteBytes(header[12..], mask.Bounds.Height);
        hash.AppendData(header);
        hash.AppendData(mask.Coverage);
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
