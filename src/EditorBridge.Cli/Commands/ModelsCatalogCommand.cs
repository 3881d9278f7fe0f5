using System.CommandLine;
using EditorBridge.Client;
using EditorBridge.Protocol.V1;
using Spectre.Console;

namespace EditorBridge.Cli.Commands;

/// <summary><c>editorbridge models catalog</c>: the models <c>models pull</c> can download, as a table (no network).</summary>
public static class ModelsCatalogCommand
{
    public static Command Create()
    {
        var command = new Command("catalog", "Show the models 'models pull' can download: kind, size, licence, installed");
        command.SetAction((parse, cancellationToken) => GlobalOptions.Guard(async () =>
        {
            using var connection = await DaemonConnection.ConnectAsync(GlobalOptions.Connect(parse), cancellationToken);
            var catalog = await connection.Client.Raw.ListCatalogAsync(new ListCatalogRequest(), cancellationToken: cancellationToken);
            var table = new Table().AddColumns("name", "kind", "size", "licence", "accept", "sha-256", "installed");
            foreach (var model in catalog.Models)
            {
                table.AddRow(
                    Markup.Escape(model.Name),
                    Markup.Escape(model.Kind),
                    ModelsCommand.Size(model.SizeBytes),
                    Markup.Escape(model.LicenceId),
                    model.LicenceRequiresAcceptance ? "required" : "",
                    model.ChecksumsPublished ? "published" : "first pull",
                    Installed(model));
            }

            // piped output has no terminal width; keep one model per line for scripts
            if (Console.IsOutputRedirected)
                AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 140);
            AnsiConsole.Write(table);
            if (catalog.Models.Any(m => m.LicenceRequiresAcceptance))
                Console.WriteLine("accept 'required': read the licence, then 'editorbridge models pull NAME --accept-licence'");
            if (catalog.Models.Any(m => !m.ChecksumsPublished))
                Console.WriteLine("sha-256 'first pull': the publisher gives none; the first pull records and shows it, later pulls must match");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Installed(CatalogModel model) => model switch
    {
        { Installed: false } => "no",
        _ when model.InstalledVersion == model.Version => "yes",
        _ => Markup.Escape($"version {model.InstalledVersion}"),
    };
}
