using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace EditorBridge.LocalState;

/// <summary>
/// What .NET does not say about a file on Linux: its owner, type and identity (device, inode), from
/// <c>statx(2)</c> (glibc 2.28+), whose record has one layout on every architecture. Read from a
/// path without following a link at its end, or from an open handle (the file actually opened).
/// Elsewhere <see cref="IsSupported"/> is false.
/// </summary>
public readonly record struct UnixFileStatus(uint Owner, UnixFileType Type, UnixFileMode Mode, long Size, ulong Device, ulong Inode)
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint BasicStats = 0x7ff;

    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>The user this process runs as (effective uid).</summary>
    public static uint CurrentUser => geteuid();

    /// <summary>The entry at <paramref name="path"/> itself (a symbolic link is reported as a link).</summary>
    public static UnixFileStatus OfEntry(string path) => Query(AtFdCwd, path, AtSymlinkNoFollow, path);

    /// <summary>What <paramref name="path"/> names, links followed.</summary>
    public static UnixFileStatus OfTarget(string path) => Query(AtFdCwd, path, 0, path);

    /// <summary>The file <paramref name="handle"/> has open.</summary>
    public static UnixFileStatus Of(SafeFileHandle handle, string name)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return Query((int)handle.DangerousGetHandle(), "", AtEmptyPath, name);
        }
        finally
        {
            if (added)
                handle.DangerousRelease();
        }
    }

    private static UnixFileStatus Query(int directory, string path, int flags, string name)
    {
        if (!IsSupported)
            throw new PlatformNotSupportedException("file owners are read on Linux only");
        if (statx(directory, path, flags, BasicStats, out var s) != 0)
        {
            int error = Marshal.GetLastPInvokeError();
            throw new IOException($"cannot read what {name} is: {Marshal.GetPInvokeErrorMessage(error)}", error);
        }

        var type = (s.Mode & 0xF000) switch
        {
            0x8000 => UnixFileType.Regular,
            0x4000 => UnixFileType.Directory,
            0xA000 => UnixFileType.SymbolicLink,
            _ => UnixFileType.Other,
        };
        return new UnixFileStatus(s.Uid, type, (UnixFileMode)(s.Mode & 0xFFF), (long)s.Size, ((ulong)s.DevMajor << 32) | s.DevMinor, s.Inode);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, string pathname, int flags, uint mask, out StatX buffer);

    [DllImport("libc")]
    private static extern uint geteuid();

    // struct statx (linux/stat.h): 256 bytes, the same on every architecture
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatX
    {
        [FieldOffset(20)] public uint Uid;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Inode;
        [FieldOffset(40)] public ulong Size;
        [FieldOffset(136)] public uint DevMajor;
        [FieldOffset(140)] public uint DevMinor;
    }
}

public enum UnixFileType
{
    Other,
    Regular,
    Directory,
    SymbolicLink,
}
