using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32;

namespace EditorBridge.Installer.Host;

/// <summary>The real HKEY_CURRENT_USER (Windows only; compiled everywhere, tested through a stand-in).</summary>
[SupportedOSPlatform("windows")]
public sealed partial class WindowsUserRegistry : IUserRegistry
{
    public RegistryValue? Get(string key, string name)
    {
        using var k = Registry.CurrentUser.OpenSubKey(key);
        if (k?.GetValue(name, null, RegistryValueOptions.DoNotExpandEnvironmentNames) is not { } data)
            return null;
        return k.GetValueKind(name) switch
        {
            RegistryValueKind.ExpandString => new RegistryValue((string)data, RegistryKind.ExpandString),
            RegistryValueKind.DWord => new RegistryValue(Convert.ToString(data, System.Globalization.CultureInfo.InvariantCulture)!, RegistryKind.DWord),
            _ => new RegistryValue(data.ToString() ?? "", RegistryKind.String),
        };
    }

    public bool KeyExists(string key)
    {
        using var k = Registry.CurrentUser.OpenSubKey(key);
        return k is not null;
    }

    public void Set(string key, string name, RegistryValue value)
    {
        using var k = Registry.CurrentUser.CreateSubKey(key, writable: true);
        switch (value.Kind)
        {
            case RegistryKind.DWord:
                k.SetValue(name, int.Parse(value.Data, System.Globalization.CultureInfo.InvariantCulture), RegistryValueKind.DWord);
                break;
            case RegistryKind.ExpandString:
                k.SetValue(name, value.Data, RegistryValueKind.ExpandString);
                break;
            default:
                k.SetValue(name, value.Data, RegistryValueKind.String);
                break;
        }
    }

    public void Delete(string key, string name)
    {
        using var k = Registry.CurrentUser.OpenSubKey(key, writable: true);
        k?.DeleteValue(name, throwOnMissingValue: false);
    }

    public void DeleteKeyIfEmpty(string key)
    {
        using (var k = Registry.CurrentUser.OpenSubKey(key))
        {
            if (k is null || k.ValueCount > 0 || k.SubKeyCount > 0)
                return;
        }

        Registry.CurrentUser.DeleteSubKey(key, throwOnMissingSubKey: false);
    }

    public void BroadcastEnvironmentChange()
    {
        const int HwndBroadcast = 0xffff, WmSettingChange = 0x001A, SmtoAbortIfHung = 0x0002;
        SendMessageTimeout(HwndBroadcast, WmSettingChange, IntPtr.Zero, "Environment", SmtoAbortIfHung, 5000, out _);
    }

    [LibraryImport("user32.dll", EntryPoint = "SendMessageTimeoutW", StringMarshalling = StringMarshalling.Utf16)]
    private static partial IntPtr SendMessageTimeout(IntPtr hWnd, int msg, IntPtr wParam, string lParam, int flags, int timeout, out IntPtr result);
}
