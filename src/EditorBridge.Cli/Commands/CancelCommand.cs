using System.CommandLine;
using EditorBridge.Client;
using EditorBridge.Protocol.V1;

namespace EditorBridge.Cli.Commands;

/// <summary>
/// <c>editorbridge cancel JOB</c>: cancels the job and says what happened. A queued job is cancelled
/// at once; a running one when its engine next looks (the command waits up to <see cref="Wait"/>
/// for that and says whether it stopped, finished first, or is still stopping).
/// </summary>
public static class CancelCommand
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public static Command Create()
    {
        var id = new Argument<string>("job") { Description = "Job id, as 'editorbridge jobs' shows it" };
        var command = new Command("cancel", "Cancel a queued or running job") { id };
        command.SetAction((parse, cancellationToken) => GlobalOptions.Guard(async () =>
        {
            var jobId = parse.GetValue(id)!;
            using var connection = await DaemonConnection.ConnectAsync(GlobalOptions.Connect(parse) with { AutoStart = false }, cancellationToken);
            var answer = await connection.Client.CancelJobAsync(jobId, cancellationToken);
            if (answer.State == JobState.Cancelled)
            {
                Console.WriteLine($"{jobId}: cancelled (it was waiting in the queue)");
                return ExitCodes.Ok;
            }

            var end = await WaitForEndAsync(connection.Client, jobId, cancellationToken);
            Console.WriteLine(end switch
            {
                JobState.Cancelled or null => $"{jobId}: cancelled (it was {JobsCommand.State(answer.State)}; the engine stopped)",
                JobState.Succeeded => $"{jobId}: finished before it could be cancelled",
                JobState.Failed => $"{jobId}: failed while it was being cancelled",
                _ => $"{jobId}: cancel requested; the engine has not stopped yet after {Wait.TotalSeconds:0} s (see 'editorbridge jobs')",
            });
            return ExitCodes.Ok;
        }));
        return command;
    }

    // The job's state once it ends (null: no longer listed), or its state after the wait.
    private static async Task<JobState?> WaitForEndAsync(EditorBridgeClient client, string jobId, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + Wait;
        while (true)
        {
            var job = (await client.ListJobsAsync(cancellationToken)).Jobs.FirstOrDefault(j => j.JobId == jobId);
            if (job is null || job.State is JobState.Cancelled or JobState.Succeeded or JobState.Failed || DateTime.UtcNow >= until)
                return job?.State;
            await Task.Delay(50, cancellationToken);
        }
    }
}
