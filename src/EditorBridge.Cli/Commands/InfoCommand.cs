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

            if (Console.IsOutputRedirected)
                AnsiConsole.Profile.Width = RedirectedWidth; // a pipe or file gets whole lines, not cells wrapped at 80
            if (connection.RemoteUrl is { } url)
                AnsiConsole.MarkupLineInterpolated($"[bold]EditorBridge {info.Version}[/] (pid {info.Pid}) at {url} (gRPC and JSON over TLS)");
            else
                AnsiConsole.MarkupLineInterpolated($"[bold]EditorBridge {info.Version}[/] (pid {info.Pid}) gRPC 127.0.0.1:{connection.Discovery.GrpcPort}, JSON 127.0.0.1:{connection.Discovery.HttpPort}");
            var table = new Table().AddColumns("engine", "operation", "models (default first)", "parameters: default (range or choices)");
            foreach (var engine in info.Engines)
            {
                foreach (var op in engine.Operations)
                {
                    var parameters = string.Join("\n", op.Parameters.Select(Describe));
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

    private const int RedirectedWidth = 1000;

    /// <summary>
    /// One parameter as <c>info</c> shows it: "radius=3 (1..20)", "method=auto (auto|telea|ns)",
    /// "x (required, a column of the layer)", "fast=false (true|false)".
    /// </summary>
    public static string Describe(Protocol.V1.ParameterInfo p)
    {
        var allowed = new List<string>();
        if (p.Required)
            allowed.Add("required");
        switch (p.CanvasAxis)
        {
            case Protocol.V1.CanvasAxis.X: allowed.Add("a column of the layer"); break;
            case Protocol.V1.CanvasAxis.Y: allowed.Add("a row of the layer"); break;
            case Protocol.V1.CanvasAxis.Width: allowed.Add("a width in pixels"); break;
            case Protocol.V1.CanvasAxis.Height: allowed.Add("a height in pixels"); break;
            default:
                if (p.Choices.Count > 0)
                    allowed.Add(string.Join("|", p.Choices));
                else if (p.HasMinimum || p.HasMaximum)
                    allowed.Add($"{(p.HasMinimum ? Number(p.Minimum) : "")}..{(p.HasMaximum ? Number(p.Maximum) : "")}");
                else if (p.Kind == Protocol.V1.ParameterKind.Boolean)
                    allowed.Add("true|false");
                else if (p.Kind == Protocol.V1.ParameterKind.Text)
                    allowed.Add("text");
                break;
        }

        var name = p.Required || p.DefaultValue is null ? p.Name : $"{p.Name}={OperationCommand.FormatValue(p.DefaultValue)}";
        return allowed.Count == 0 ? name : $"{name} ({string.Join(", ", allowed)})";
    }

    private static string Number(double value) => OperationCommand.FormatValue(Google.Protobuf.WellKnownTypes.Value.ForNumber(value));
}
