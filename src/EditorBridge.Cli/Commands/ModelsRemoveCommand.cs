using System.CommandLine;
using EditorBridge.Client;
using EditorBridge.Protocol.V1;

namespace EditorBridge.Cli.Commands;

/// <summary><c>editorbridge models remove NAME</c>.</summary>
public static class ModelsRemoveCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The installed model's name, as 'editorbridge models list' shows it" };
        var command = new Command("remove", "Delete an installed model") { name };
        command.SetAction((parse, cancellationToken) => GlobalOptions.Guard(async () =>
        {
            using var connection = await DaemonConnection.ConnectAsync(GlobalOptions.Connect(parse), cancellationToken);
            await connection.Client.Raw.RemoveModelAsync(new RemoveModelRequest { Name = parse.GetValue(name)! }, cancellationToken: cancellationToken);
            Console.WriteLine($"removed {parse.GetValue(name)}");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
