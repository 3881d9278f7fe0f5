using System.CommandLine;
using EditorBridge.Client;

namespace EditorBridge.Cli.Commands;

/// <summary><c>editorbridge cancel JOB</c>.</summary>
public static class CancelCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("job") { Description = "Job id, as 'editorbridge jobs' shows it" };
        var command = new Command("cancel", "Cancel a queued or running job") { id };
        command.SetAction((parse, cancellationToken) => GlobalOptions.Guard(async () =>
        {
            using var connection = await DaemonConnection.ConnectAsync(GlobalOptions.Connect(parse) with { AutoStart = false }, cancellationToken);
            var answer = await connection.Client.CancelJobAsync(parse.GetValue(id)!, cancellationToken);
            Console.WriteLine($"{parse.GetValue(id)}: {answer.State}");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
