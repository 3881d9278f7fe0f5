using System.Runtime.InteropServices;

namespace EditorBridge.PaintDotNet.Core.Tests.Model;

/// <summary>
/// Stands in for Paint.NET's <c>ColorBgra32</c>: four bytes B, G, R, A in memory (a little-endian
/// 0xAARRGGBB), straight alpha. The adapter hands the core spans over such pixels, so the model
/// keeps pixels in this type and the tests view them as bytes the same way.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public readonly record struct ModelColor(byte B, byte G, byte R, byte A)
{
    public static ModelColor FromRgba(ReadOnlySpan<byte> rgba) => new(rgba[2], rgba[1], rgba[0], rgba[3]);

    public uint Bgra => (uint)(B | G << 8 | R << 16 | A << 24);
}
