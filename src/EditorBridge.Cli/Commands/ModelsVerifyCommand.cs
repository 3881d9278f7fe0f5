using System.CommandLine;
using EditorBridge.Client;
using EditorBridge.Protocol.V1;

namespace EditorBridge.Cli.Commands;

/// <summary><c>editorbridge models verify [NAME]</c>: re-hash installed models; exit 1 when one is damaged.</summary>
public static class ModelsVerifyCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("name") { Description = "The model to check (default: every installed model)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("verify", "Check installed models' files against their manifests (size and SHA-256)") { name };
        command.SetAction((parse, cancellationToken) => GlobalOptions.Guard(async () =>
        {
            using var connection = await DaemonConnection.ConnectAsync(GlobalOptions.Connect(parse), cancellationToken);
            var client = connection.Client.Raw;
            var names = parse.GetValue(name) is { } one
                ? [one]
                : (await client.ListModelsAsync(new ListModelsRequest(), cancellationToken: cancellationToken)).Models.Select(m => m.Name).ToList();
            if (names.Count == 0)
                Console.WriteLine("no models installed");
            var damaged = 0;
            foreach (var model in names)
            {
                var answer = await client.VerifyModelAsync(new VerifyModelRequest { Name = model }, cancellationToken: cancellationToken);
                if (answer.Intact)
                    Console.WriteLine($"{model}: intact");
                else
                    damaged++;
                foreach (var problem in answer.Problems)
                    Console.Error.WriteLine($"editorbridge: error: {model}: {problem}");
            }

            return damaged == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        }));
        return command;
    }
}
