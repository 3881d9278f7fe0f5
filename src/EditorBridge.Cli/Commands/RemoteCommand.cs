using System.CommandLine;
using EditorBridge.Client;
using EditorBridge.LocalState;

namespace EditorBridge.Cli.Commands;

/// <summary>
/// <c>editorbridge remote set URL [--fingerprint FP] &lt; token</c> | <c>show</c> | <c>clear</c>: makes
/// this machine use a studio's shared daemon (the CLI, Paint.NET and Krita read the same two files
/// in the state folder, <see cref="StudioConnection"/>). The token is read from standard input,
/// never from the command line.
/// </summary>
public static class RemoteCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("url") { Description = "The studio daemon (or its balancer), https://HOST:PORT" };
        var fingerprint = new Option<string?>("--pin") { Description = "The certificate's SHA-256 fingerprint to pin (as serve printed it)" };
        var set = new Command("set", "Use a studio daemon from now on; the token is read from standard input (one line)") { url, fingerprint };
        set.SetAction(parse => Run(() =>
        {
            string address;
            string? pin;
            try
            {
                (address, pin) = (StudioConnection.NormalizeUrl(parse.GetValue(url)), StudioConnection.NormalizePin(parse.GetValue(fingerprint)));
            }
            catch (FormatException e)
            {
                throw new UsageException(e.Message);
            }

            var token = Console.In.ReadLine()?.Trim();
            if (string.IsNullOrEmpty(token))
                throw new UsageException("no token on standard input: run 'editorbridge remote set URL < token-file' (or paste it, then Enter)");
            var paths = StatePaths.ForCurrentUser(parse.GetValue(GlobalOptions.StateDirectory));
            new StudioConnection(address, pin).Save(paths, token);
            Console.WriteLine($"this machine now uses {address} ({StudioConnection.PathIn(paths)}; token in {StudioConnection.TokenPathIn(paths)}, owner-only)");
        }));
        var show = new Command("show", "Say which daemon this machine uses");
        show.SetAction(parse => Run(() =>
        {
            var paths = StatePaths.ForCurrentUser(parse.GetValue(GlobalOptions.StateDirectory));
            var saved = StudioConnection.Load(paths);
            Console.WriteLine(saved is null
                ? "this machine uses its own daemon (no studio connection set)"
                : $"{saved.Url} (pinned {saved.Fingerprint ?? "no fingerprint: the system's certificate checks"}; token {(File.Exists(StudioConnection.TokenPathIn(paths)) ? "set" : "missing")})");
        }));
        var clear = new Command("clear", "Go back to this machine's own daemon (removes the URL and the token)");
        clear.SetAction(parse => Run(() =>
        {
            StudioConnection.Clear(StatePaths.ForCurrentUser(parse.GetValue(GlobalOptions.StateDirectory)));
            Console.WriteLine("this machine uses its own daemon again");
        }));
        return new Command("remote", $"Use a studio's shared daemon (URL + token; {RemoteDaemon.UrlVariable} and --daemon override it)") { set, show, clear };
    }

    private static int Run(Action body)
    {
        try
        {
            body();
            return ExitCodes.Ok;
        }
        catch (Exception e)
        {
            return CliError.Report(e, Console.Error);
        }
    }
}
