using System.Security.AccessControl;
using System.Security.Cryptography;
using System.Security.Principal;

namespace EditorBridge.LocalState;

/// <summary>
/// The per-user secret every client presents. Created on the daemon's first start with
/// permissions for the user alone (0600 on Unix, an ACL granting only the current user on Windows).
/// </summary>
public static class TokenFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Reads the token, creating the file first if it does not exist. Throws
    /// <see cref="TokenFileExposedException"/> when other users may read or write it: a token
    /// others may already have read is not made safe by tightening the file afterwards.
    /// </summary>
    public static string LoadOrCreate(string path)
    {
        if (!File.Exists(path))
            Create(path);
        else if (!OperatingSystem.IsWindows() && !IsPrivate(path))
            throw new TokenFileExposedException(path, Convert.ToString((int)File.GetUnixFileMode(path), 8).PadLeft(4, '0'));
        return Read(path);
    }

    public static string Read(string path)
    {
        var token = File.ReadAllText(path).Trim();
        if (token.Length < 32)
            throw new InvalidDataException($"token file {path} is damaged (too short); delete it and restart the daemon");
        return token;
    }

    /// <summary>True when only the owner may read or write the file.</summary>
    public static bool IsPrivate(string path) =>
        OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & ~OwnerOnly) == 0;

    private static void Create(string path)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var temp = path + ".new";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = OwnerOnly;
        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream))
            writer.Write(token);
        if (OperatingSystem.IsWindows())
            RestrictToCurrentUser(temp);
        try
        {
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // another daemon created it first: keep theirs
            File.Delete(temp);
        }
    }

    [System.Runtime.Versioning.SupportedOSPlatform("windows")]
    private static void RestrictToCurrentUser(string path)
    {
        var security = new FileSecurity();
        security.SetAccessRuleProtection(isProtected: true, preserveInheritance: false);
        var user = WindowsIdentity.GetCurrent().User!;
        security.AddAccessRule(new FileSystemAccessRule(user, FileSystemRights.FullControl, AccessControlType.Allow));
        new FileInfo(path).SetAccessControl(security);
    }
}
