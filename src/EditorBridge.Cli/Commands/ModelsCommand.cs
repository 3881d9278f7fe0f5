using System.CommandLine;

namespace EditorBridge.Cli.Commands;

/// <summary>
/// <c>editorbridge models ...</c>: the per-user model store. Each sub-command lives in its own
/// <c>Models*Command</c> file; add new ones here.
/// </summary>
public static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", "List, import, verify and remove the models model-backed engines use");
        command.Subcommands.Add(ModelsListCommand.Create());
        command.Subcommands.Add(ModelsImportCommand.Create());
        command.Subcommands.Add(ModelsVerifyCommand.Create());
        command.Subcommands.Add(ModelsRemoveCommand.Create());
        return command;
    }

    /// <summary>"1.6 GB"-style sizes for tables and one-line answers.</summary>
    public static string Size(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : $"{value:0.#} {units[unit]}";
    }
}
