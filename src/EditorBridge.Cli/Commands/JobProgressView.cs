using EditorBridge.Client;
using EditorBridge.Protocol.V1;
using Spectre.Console;

namespace EditorBridge.Cli.Commands;

/// <summary>Runs a job with a progress bar (queue position, stage, fraction) on the console.</summary>
public static class JobProgressView
{
    public static async Task<JobResult> RunAsync(EditorBridgeClient client, JobRequest request, CancellationToken cancellationToken)
    {
        if (Console.IsErrorRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
            return await client.RunJobAsync(request, new Progress<JobEvent>(e => PlainLine(e)), cancellationToken);
        JobResult? result = null;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(request.Operation, maxValue: 1.0);
                var events = new SyncProgress<JobEvent>(e => Update(task, request.Operation, e));
                result = await client.RunJobAsync(request, events, cancellationToken);
                task.Value = 1.0;
            });
        return result!;
    }

    private static void Update(ProgressTask task, string operation, JobEvent e)
    {
        switch (e.EventCase)
        {
            case JobEvent.EventOneofCase.Queued:
                task.Description = $"{operation}: waiting, {e.Queued.Position} job(s) ahead";
                break;
            case JobEvent.EventOneofCase.Started:
                task.Description = $"{operation} on {e.Started.Engine} ({e.Started.Device})";
                break;
            case JobEvent.EventOneofCase.Progress:
                task.Value = e.Progress.Fraction;
                if (!string.IsNullOrEmpty(e.Progress.Stage))
                    task.Description = Markup.Escape($"{operation}: {e.Progress.Stage}");
                break;
        }
    }

    private static void PlainLine(JobEvent e)
    {
        if (e.EventCase == JobEvent.EventOneofCase.Queued)
            Console.Error.WriteLine($"queued, {e.Queued.Position} job(s) ahead");
        else if (e.EventCase == JobEvent.EventOneofCase.Started)
            Console.Error.WriteLine($"started on {e.Started.Engine} ({e.Started.Device})");
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
