using System.Diagnostics;
using System.Runtime.Versioning;
using EditorBridge.Installer.Host;
using EditorBridge.Testing;

namespace EditorBridge.Installer.Tests;

/// <summary>The real process checks: a running "krita" is seen; a program running from a folder is found and stopped.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class ProcessProbeTests : IDisposable
{
    private readonly TempDirectory temp = new("ebp");

    public void Dispose() => temp.Dispose();

    /// <summary>/bin/sleep under another name, so the process is called <paramref name="name"/>.</summary>
    private Process StartAs(string folder, string name)
    {
        Directory.CreateDirectory(folder);
        var program = Path.Combine(folder, name);
        File.Copy("/bin/sleep", program);
        File.SetUnixFileMode(program, (UnixFileMode)0b111_101_101);
        return Process.Start(new ProcessStartInfo(program, "60") { UseShellExecute = false })!;
    }

    [Fact]
    public void A_running_Krita_is_seen_and_the_install_warns_about_it()
    {
        using var krita = StartAs(temp.File("bin"), "krita");
        try
        {
            Assert.Contains(krita.Id, new SystemProcessProbe().Running("krita"));

            using var box = new Sandbox { RealProcesses = new SystemProcessProbe() };
            box.WriteHome(".config/kritarc", "[General]\n");
            var run = box.Install(box.Package());
            Assert.True(run.Code == ExitCodes.DoneWithWarnings, run.ToString());
            Assert.Contains($"Krita is running (process ", run.Output);
            Assert.Contains(krita.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), run.Output);
        }
        finally
        {
            krita.Kill();
        }
    }

    [Fact]
    public void A_program_running_from_the_program_folder_is_found_and_stopped()
    {
        var app = temp.File("app");
        using var daemon = StartAs(app, "editorbridge");
        using var elsewhere = StartAs(temp.File("other"), "editorbridge");
        var probe = new SystemProcessProbe();
        try
        {
            Assert.Equal([daemon.Id], probe.RunningFrom(app));

            Assert.True(probe.Stop(daemon.Id, TimeSpan.FromSeconds(60))); // returns when it has stopped; 60 s only guards a hang
            Assert.True(daemon.HasExited);
            Assert.False(elsewhere.HasExited);
        }
        finally
        {
            elsewhere.Kill();
        }
    }
}
