using System.CommandLine;
using EditorBridge.Cli.Commands;

namespace EditorBridge.Cli;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("EditorBridge: AI and classic painting tools for the editors painters already use.");
        foreach (var option in GlobalOptions.All)
            root.Options.Add(option);
        // `editorbridge fill …` builds the fill command alone; anything else (help, global options
        // first, a typo) builds them all: building every command cost each run ~30 ms of CPU.
        var commands = Commands();
        var named = args.Length > 0 ? commands.Where(c => c.Name == args[0]).ToList() : [];
        foreach (var (_, create) in named.Count == 1 ? named : commands)
            root.Subcommands.Add(create());
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
                Console.Error.WriteLine($"editorbridge: error: {error.Message}");
            return ExitCodes.Usage;
        }

        var registrations = Interrupt.Register();
        try
        {
            // Signals are ours (Interrupt): System.CommandLine's own handler would end the process with 130 and no message.
            return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, Interrupt.Token);
        }
        finally
        {
            foreach (var registration in registrations)
                registration.Dispose();
        }
    }

    /// <summary>Every command by name, in the order help lists them; made only when needed.</summary>
    private static List<(string Name, Func<Command> Create)> Commands() =>
    [
        ("serve", ServeCommand.Create),
        ("tokens", TokensCommand.Create),
        ("remote", RemoteCommand.Create),
        ("info", InfoCommand.Create),
        ("fill", FillCommand.Create),
        .. OperationCommand.Operations.Select(o => (o.Name, (Func<Command>)(() => OperationCommand.Create(o.Name, o.Description)))),
        ("generate", GenerateCommand.Create),
        ("jobs", JobsCommand.Create),
        ("cancel", CancelCommand.Create),
        ("models", ModelsCommand.Create),
        ("doctor", DoctorCommand.Create),
        ("demo", DemoCommand.Create),
        ("eval", EvalCommand.Create),
    ];
}
