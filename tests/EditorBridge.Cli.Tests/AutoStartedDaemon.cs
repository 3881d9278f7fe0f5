using System.Diagnostics;
using EditorBridge.LocalState;

namespace EditorBridge.Cli.Tests;

/// <summary>
/// A daemon a CLI command started in the background (as every client does), found through the
/// state folder's discovery file; disposing stops it, so a test leaves no daemon behind.
/// </summary>
internal sealed class AutoStartedDaemon(string stateDirectory) : IDisposable
{
    public DiscoveryInfo? Discovery => DiscoveryInfo.TryRead(new StatePaths(stateDirectory).DiscoveryFile);

    public void Dispose()
    {
        if (Discovery is not { } d || !d.ProcessIsAlive())
            return;
        try
        {
            using var process = Process.GetProcessById(d.Pid);
            process.Kill();
            process.WaitForExit(TimeSpan.FromSeconds(30));
        }
        catch (ArgumentException)
        {
            // already gone
        }
    }
}
