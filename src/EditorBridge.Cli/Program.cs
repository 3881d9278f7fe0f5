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
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(TokensCommand.Create());
        root.Subcommands.Add(RemoteCommand.Create());
        root.Subcommands.Add(InfoCommand.Create());
        root.Subcommands.Add(FillCommand.Create());
        foreach (var operation in OperationCommand.CreateAll())
            root.Subcommands.Add(operation);
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(JobsCommand.Create());
        root.Subcommands.Add(CancelCommand.Create());
        root.Subcommands.Add(ModelsCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
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
}
