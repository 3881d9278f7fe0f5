using System.CommandLine;
using EditorBridge.Client;

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

    public static ConnectOptions Connect(ParseResult parse) => new()
    {
        StateDirectory = parse.GetValue(StateDirectory),
        AutoStart = !parse.GetValue(NoStart),
    };

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
