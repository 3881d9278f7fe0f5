using System.CommandLine;
using EditorBridge.Client;
using EditorBridge.Protocol.V1;
using Spectre.Console;

namespace EditorBridge.Cli.Commands;

/// <summary><c>editorbridge models list</c>: the installed models as a table.</summary>
public static class ModelsListCommand
{
    public static Command Create()
    {
        var command = new Command("list", "Show the installed models");
        command.SetAction((parse, cancellationToken) => GlobalOptions.Guard(async () =>
        {
            using var connection = await DaemonConnection.ConnectAsync(GlobalOptions.Connect(parse), cancellationToken);
            var models = (await connection.Client.Raw.ListModelsAsync(new ListModelsRequest(), cancellationToken: cancellationToken)).Models;
            if (models.Count == 0)
            {
                Console.WriteLine("no models installed; add one with 'editorbridge models import DIR'");
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("name", "kind", "version", "operations", "size", "licence", "identity");
            foreach (var model in models)
            {
                table.AddRow(
                    Markup.Escape(model.Name),
                    Markup.Escape(model.Kind),
                    Markup.Escape(model.Version),
                    Markup.Escape(string.Join(", ", model.Operations)),
                    ModelsCommand.Size(model.SizeBytes),
                    Markup.Escape(model.LicenceId),
                    Markup.Escape(model.Identity.Length > 12 ? model.Identity[..12] : model.Identity));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
