using System.CommandLine;
using EditorBridge.Client;
using EditorBridge.LocalState;

namespace EditorBridge.Cli;

/// <summary>Options every command understands.</summary>
public static class GlobalOptions
{
    public static readonly Option<string?> StateDirectory = new("--state-dir")
    {
        Description = "Per-user state folder of the daemon to use (default: the platform's; EDITORBRIDGE_STATE_DIR overrides)",
        Recursive = true,
    };

    public static readonly Option<bool> NoStart = new("--no-start")
    {
        Description = "Do not start the daemon when it is not running",
        Recursive = true,
    };

    public static readonly Option<string?> Daemon = new("--daemon")
    {
        Description = $"A studio's shared daemon, https://HOST:PORT (default: {RemoteDaemon.UrlVariable}, else this user's local daemon). The token comes from {RemoteDaemon.TokenVariable} or the state folder's {RemoteDaemon.TokenFileName} file, never from the command line",
        Recursive = true,
    };

    public static readonly Option<string?> Fingerprint = new("--fingerprint")
    {
        Description = $"The remote daemon's certificate SHA-256 fingerprint to pin (as 'serve --self-signed' printed it; default: {RemoteDaemon.FingerprintVariable})",
        Recursive = true,
    };

    public static readonly Option<double?> ConnectTimeout = new("--connect-timeout")
    {
        Description = "Seconds a remote daemon may take to connect and answer (default 10)",
        Recursive = true,
    };

    public static IEnumerable<Option> All => [StateDirectory, NoStart, Daemon, Fingerprint, ConnectTimeout];

    public static ConnectOptions Connect(ParseResult parse)
    {
        // --daemon, else EDITORBRIDGE_DAEMON_URL, else the studio connection saved on this machine ('editorbridge remote set')
        var saved = StudioConnection.Load(StatePaths.ForCurrentUser(parse.GetValue(StateDirectory)));
        var url = parse.GetValue(Daemon) ?? Environment.GetEnvironmentVariable(RemoteDaemon.UrlVariable) ?? saved?.Url;
        Uri? remote = null;
        if (!string.IsNullOrWhiteSpace(url) && (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out remote) || remote.Scheme is not ("https" or "http")))
            throw new UsageException($"--daemon '{url}': expected a URL such as https://gpu1.studio:7443");
        var timeout = parse.GetValue(ConnectTimeout) ?? 10;
        if (timeout is <= 0 or > 3600)
            throw new UsageException("--connect-timeout: give seconds between 0 and 3600");
        return new()
        {
            StateDirectory = parse.GetValue(StateDirectory),
            AutoStart = remote is null && !parse.GetValue(NoStart),
            DaemonUrl = remote,
            Fingerprint = parse.GetValue(Fingerprint) ?? Environment.GetEnvironmentVariable(RemoteDaemon.FingerprintVariable) ?? saved?.Fingerprint,
            ConnectTimeout = TimeSpan.FromSeconds(timeout),
        };
    }

    /// <summary>Runs a command body, turning every failure into one line and an exit code (Ctrl+C: "cancelled", 5).</summary>
    public static async Task<int> Guard(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception) when (Interrupt.Requested)
        {
            // Ctrl+C: whatever the interrupted call threw, the user asked for it
            return Interrupt.Report(Console.Error);
        }
        catch (Exception e)
        {
            return CliError.Report(e, Console.Error);
        }
    }
}
