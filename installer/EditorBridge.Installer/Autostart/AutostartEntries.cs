using System.Security;
using System.Text;
using EditorBridge.Installer.Platform;

namespace EditorBridge.Installer.Autostart;

/// <summary>
/// On-login start of the daemon (only with --autostart; clients start it on demand anyway):
/// a systemd user unit enabled for default.target (Linux), a launchd agent (macOS), the Run key
/// (Windows). Each runs <c>editorbridge serve</c> from the program folder.
/// </summary>
public static class AutostartEntries
{
    public const string RunKey = @"Software\Microsoft\Windows\CurrentVersion\Run";
    public const string RunValueName = "EditorBridge";
    public const string LaunchAgentLabel = "org.editorbridge.daemon";

    public static string SystemdUnitPath(UserFolders f) => Path.Combine(f.XdgConfigHome, "systemd", "user", "editorbridge.service");

    /// <summary>What <c>systemctl --user enable</c> would create.</summary>
    public static string SystemdWantsLink(UserFolders f) => Path.Combine(f.XdgConfigHome, "systemd", "user", "default.target.wants", "editorbridge.service");

    public static string LaunchAgentPath(UserFolders f) => Path.Combine(f.Home, "Library", "LaunchAgents", LaunchAgentLabel + ".plist");

    public static byte[] SystemdUnit(string daemon) => Encoding.UTF8.GetBytes(
        "# Written by editorbridge-setup --autostart; editorbridge-setup --uninstall removes it.\n" +
        "[Unit]\n" +
        "Description=EditorBridge daemon (local painting tools for Krita and Paint.NET)\n" +
        "\n" +
        "[Service]\n" +
        "Type=simple\n" +
        $"ExecStart={SystemdQuote(daemon)} serve\n" +
        "Restart=on-failure\n" +
        "\n" +
        "[Install]\n" +
        "WantedBy=default.target\n");

    public static byte[] LaunchAgent(string daemon) => Encoding.UTF8.GetBytes(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
        "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n" +
        "<!-- Written by editorbridge-setup --autostart; editorbridge-setup --uninstall removes it. -->\n" +
        "<plist version=\"1.0\">\n" +
        "<dict>\n" +
        $"  <key>Label</key><string>{LaunchAgentLabel}</string>\n" +
        "  <key>ProgramArguments</key>\n" +
        "  <array>\n" +
        $"    <string>{SecurityElement.Escape(daemon)}</string>\n" +
        "    <string>serve</string>\n" +
        "    <string>--background</string>\n" +
        "  </array>\n" +
        "  <key>RunAtLoad</key><true/>\n" +
        "</dict>\n" +
        "</plist>\n");

    public static string RunCommand(string daemon) => $"\"{daemon}\" serve --background";

    /// <summary>One ExecStart word: quoted, with systemd's specifiers (%) and variables ($) escaped.</summary>
    public static string SystemdQuote(string path) =>
        "\"" + path.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("%", "%%").Replace("$", "$$") + "\"";
}
