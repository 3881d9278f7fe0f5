using System.Runtime.InteropServices;

namespace EditorBridge.Cli;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM: the running command's token is cancelled (a job is cancelled on the
/// daemon), and the command ends with one line, "editorbridge: error: cancelled", and exit code 5.
/// A command that has not ended <see cref="Grace"/> after the signal (busy decoding a huge picture)
/// is ended with the same line and code. <c>serve</c> stops in its own time (<see cref="WaitForCommand"/>).
/// </summary>
public static class Interrupt
{
    public const string Message = "cancelled";

    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(3);

    private static readonly CancellationTokenSource Source = new();
    private static int reported;
    private static int signalled;
    private static volatile bool forceExit = true;

    public static CancellationToken Token => Source.Token;

    public static bool Requested => Source.IsCancellationRequested;

    /// <summary>Handles SIGINT and SIGTERM until disposed (instead of System.CommandLine's handler, which exits 130 without a word).</summary>
    public static IReadOnlyList<IDisposable> Register()
    {
        var registrations = new List<IDisposable>();
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            try
            {
                registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
            }
            catch (PlatformNotSupportedException)
            {
                // not every signal exists everywhere; Ctrl+C does
            }
        }

        return registrations;
    }

    /// <summary>The command ends by itself after a signal, however long that takes (serve drains its jobs).</summary>
    public static void WaitForCommand() => forceExit = false;

    /// <summary>Writes the one "cancelled" line (once, whoever asks first) and returns exit code 5.</summary>
    public static int Report(TextWriter error)
    {
        if (Interlocked.Exchange(ref reported, 1) == 0)
            error.WriteLine($"editorbridge: error: {Message}");
        return ExitCodes.Cancelled;
    }

    // The signal thread only arms the grace timer and hands the cancel to the thread pool: a token
    // callback that blocks (a call being torn down) must not keep the timer from being armed.
    private static void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Interlocked.Exchange(ref signalled, 1) != 0)
            return;
        if (forceExit)
        {
            _ = Task.Delay(Grace).ContinueWith(_ =>
            {
                if (!forceExit)
                    return;
                Console.Out.Flush();
                Environment.Exit(Report(Console.Error));
            }, TaskScheduler.Default);
        }

        _ = Task.Run(Source.Cancel);
    }
}
