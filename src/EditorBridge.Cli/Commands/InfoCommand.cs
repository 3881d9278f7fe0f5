using System.CommandLine;
using EditorBridge.Client;
using Google.Protobuf;
using Spectre.Console;

namespace EditorBridge.Cli.Commands;

/// <summary><c>editorbridge info</c>: what the daemon offers.</summary>
public static class InfoCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the raw GetInfo answer as JSON" };
        var command = new Command("info", "Show the daemon's version, engines, operations and limits") { json };
        command.SetAction((parse, cancellationToken) => GlobalOptions.Guard(async () =>
        {
            using var connection = await DaemonConnection.ConnectAsync(GlobalOptions.Connect(parse), cancellationToken);
            var info = await connection.Client.GetInfoAsync(TimeSpan.FromSeconds(10), cancellationToken);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonFormatter.Default.Format(info));
                return ExitCodes.Ok;
            }

            AnsiConsole.MarkupLineInterpolated($"[bold]EditorBridge {info.Version}[/] (pid {info.Pid}) gRPC 127.0.0.1:{connection.Discovery.GrpcPort}, JSON 127.0.0.1:{connection.Discovery.HttpPort}");
            var table = new Table().AddColumns("engine", "operation", "models (default first)", "parameters (default)");
            foreach (var engine in info.Engines)
            {
                foreach (var op in engine.Operations)
                {
                    var parameters = string.Join(", ", op.Parameters.Select(p => $"{p.Name}={p.DefaultValue}"));
                    table.AddRow(
                        Markup.Escape($"{engine.Name} {engine.Version} [{string.Join(",", engine.Devices)}]"),
                        Markup.Escape(op.Name),
                        Markup.Escape(op.Models.Count == 0 ? "-" : string.Join(", ", op.Models)),
                        Markup.Escape(parameters));
                }
            }

            AnsiConsole.Write(table);
            foreach (var route in info.OperationRoutes.Where(r => r.Engines.Count > 1))
                AnsiConsole.MarkupLineInterpolated($"{route.Operation}: {string.Join(" > ", route.Engines)} (first is the default)");
            foreach (var model in info.Models)
                AnsiConsole.MarkupLineInterpolated($"model {model.Name}: {model.Kind}, serves {string.Join(", ", model.Operations)}");
            foreach (var problem in info.PluginProblems)
                AnsiConsole.MarkupLineInterpolated($"[yellow]plugin not loaded:[/] {problem.Location}: {problem.Message}");
            var l = info.Limits;
            AnsiConsole.MarkupLineInterpolated($"limits: {l.MaxPixels} pixels, side {l.MaxSide}, request {l.MaxRequestBytes} bytes, {l.MaxConcurrentJobsPerDevice} job(s) per device");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
