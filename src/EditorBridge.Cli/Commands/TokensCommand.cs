using System.CommandLine;
using EditorBridge.Daemon.Hosting;
using EditorBridge.LocalState;

namespace EditorBridge.Cli.Commands;

/// <summary>
/// <c>editorbridge tokens add NAME [--admin] | list | revoke NAME</c>: the studio tokens a daemon's
/// network listener accepts. Stored hashed (tokens.json in the state folder, owner-only, or the
/// settings' Remote:TokensFile); <c>add</c> prints the new token once, for the user alone. A running
/// daemon sees a change at its next request (a revoked token is refused at once).
/// </summary>
public static class TokensCommand
{
    public static Command Create()
    {
        var file = new Option<string?>("--tokens-file") { Description = "The tokens file (default: Remote:TokensFile in settings.json, else tokens.json in the state folder)", Recursive = true };
        var addName = new Argument<string>("name") { Description = "The user's name (letters, digits, - _ . @)" };
        var admin = new Option<bool>("--admin") { Description = "An admin's token: sees and cancels every job, may change the model store" };
        var add = new Command("add", "Issue a token for a user and print it (shown only this once)") { addName, admin };
        add.SetAction(parse => Run(parse, file, tokens =>
        {
            var token = tokens.Add(parse.GetValue(addName)!, parse.GetValue(admin));
            Console.Error.WriteLine($"token for '{parse.GetValue(addName)}' added to {tokens.Path}; give it to the user (shown only now): they put it in the state folder's studio-token file (chmod 600) or EDITORBRIDGE_TOKEN");
            Console.WriteLine(token);
        }));
        var list = new Command("list", "List the tokens' names (never the tokens)");
        list.SetAction(parse => Run(parse, file, tokens =>
        {
            if (tokens.Entries.Count == 0)
                Console.WriteLine($"no tokens in {tokens.Path}");
            foreach (var t in tokens.Entries)
                Console.WriteLine($"{t.Name,-24} {(t.Admin ? "admin" : "user "),-6} issued {DateTimeOffset.FromUnixTimeMilliseconds(t.CreatedUnixMs):yyyy-MM-dd HH:mm} UTC");
        }));
        var revokeName = new Argument<string>("name") { Description = "The user whose token stops working" };
        var revoke = new Command("revoke", "Revoke a user's token (refused from the daemon's next request on)") { revokeName };
        revoke.SetAction(parse => Run(parse, file, tokens =>
        {
            var name = parse.GetValue(revokeName)!;
            if (!tokens.Revoke(name))
                throw new UsageException($"no token named '{name}' in {tokens.Path}");
            Console.WriteLine($"revoked '{name}'");
        }));
        return new Command("tokens", "Manage the studio tokens of the daemon's network listener (serve --listen)") { file, add, list, revoke };
    }

    private static int Run(ParseResult parse, Option<string?> file, Action<StudioTokens> body)
    {
        try
        {
            var options = DaemonOptionsLoader.Load(parse.GetValue(GlobalOptions.StateDirectory));
            if (parse.GetValue(file) is { } given)
                options.Remote.TokensFile = given;
            var paths = StatePaths.ForCurrentUser(options.StateDirectory);
            paths.EnsureExists();
            body(StudioTokens.Load(RemoteListener.TokensFileOf(options.Remote, paths)));
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return CliError.Report(new UsageException(e.Message), Console.Error);
        }
        catch (Exception e)
        {
            return CliError.Report(e, Console.Error);
        }
    }
}
