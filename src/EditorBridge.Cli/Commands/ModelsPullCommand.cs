using System.CommandLine;
using EditorBridge.Client;
using EditorBridge.Protocol.V1;
using Spectre.Console;

namespace EditorBridge.Cli.Commands;

/// <summary>
/// <c>editorbridge models pull NAME [--accept-licence] [--mirror URL|DIR]</c>: the daemon downloads a catalog
/// model, checks it and installs it; a progress bar shows speed and time left. Ctrl+C stops it, and the
/// next pull resumes where it stopped.
/// </summary>
public static class ModelsPullCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "A model from 'editorbridge models catalog'" };
        var acceptLicence = new Option<bool>("--accept-licence") { Description = "Accept the model's licence (required for licences such as CreativeML OpenRAIL-M)" };
        var mirror = new Option<string?>("--mirror") { Description = "Download from this http(s) base URL or folder (files as <mirror>/<name>/<file>) instead of the publisher" };
        var command = new Command("pull", "Download a catalog model, verify every file and install it") { name, acceptLicence, mirror };
        command.SetAction((parse, cancellationToken) => GlobalOptions.Guard(async () =>
        {
            var request = new PullModelRequest
            {
                Name = parse.GetValue(name)!,
                AcceptLicence = parse.GetValue(acceptLicence),
                Mirror = MirrorFor(parse.GetValue(mirror)),
            };
            using var connection = await DaemonConnection.ConnectAsync(GlobalOptions.Connect(parse), cancellationToken);
            try
            {
                Report(await WithProgressBarAsync(request.Name, events => connection.Client.PullModelAsync(request, events, cancellationToken)));
                return ExitCodes.Ok;
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested && e is OperationCanceledException or Grpc.Core.RpcException)
            {
                await Console.Error.WriteLineAsync($"editorbridge: cancelled: the bytes of {request.Name} downloaded so far are kept; pull again to resume");
                return ExitCodes.Cancelled;
            }
        }));
        return command;
    }

    /// <summary>A folder is made absolute: the daemon runs on this machine but not in this folder.</summary>
    private static string MirrorFor(string? mirror) =>
        string.IsNullOrEmpty(mirror) ? ""
        : Uri.TryCreate(mirror, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? mirror
        : Path.GetFullPath(mirror);

    private static async Task<PullModelDone> WithProgressBarAsync(string model, Func<IProgress<PullModelEvent>, Task<PullModelDone>> pull)
    {
        PullModelDone? done = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(model), autoStart: true, maxValue: 1);
                done = await pull(new ProgressBarEvents(task, model));
                task.Value = task.MaxValue;
            });
        return done!;
    }

    private static void Report(PullModelDone done)
    {
        var model = done.Model;
        Console.WriteLine(done.AlreadyInstalled
            ? $"{model.Name} is already installed (version {model.Version}); nothing downloaded"
            : $"installed {model.Name}: {model.Kind}, {model.FileCount} files, {ModelsCommand.Size(model.SizeBytes)}, serves {string.Join(", ", model.Operations)}; identity {model.Identity}");
        if (model.SignatureNamesTaken.Count > 0)
            Console.WriteLine($"signature names taken from the model: {string.Join("; ", model.SignatureNamesTaken)}");
        foreach (var hash in done.FirstUseHashes)
            Console.WriteLine($"no published checksum for {hash.File}: recorded SHA-256 {hash.Sha256} ({hash.SizeBytes} bytes) on this first pull; later pulls must match it");
    }

    /// <summary>Moves the bar with the daemon's progress; the description carries its speed and time left.</summary>
    private sealed class ProgressBarEvents(ProgressTask task, string model) : IProgress<PullModelEvent>
    {
        public void Report(PullModelEvent value)
        {
            if (value.Progress is not { } progress)
                return;
            task.MaxValue = Math.Max(1, progress.BytesTotal);
            task.Value = Math.Min(progress.BytesDone, task.MaxValue);
            var left = progress.SecondsLeft >= 0 ? $", {TimeSpan.FromSeconds(Math.Round(progress.SecondsLeft)):g} left" : "";
            task.Description = Markup.Escape($"{model} {progress.File} {ModelsCommand.Size((long)progress.BytesPerSecond)}/s{left}");
        }
    }
}
