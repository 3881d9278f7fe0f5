using System.CommandLine;
using EditorBridge.Client;

namespace EditorBridge.Cli.Commands;

/// <summary><c>editorbridge jobs</c>: queued, running and recent jobs.</summary>
public static class JobsCommand
{
    public static Command Create()
    {
        var command = new Command("jobs", "List queued, running and recent jobs");
        command.SetAction((parse, cancellationToken) => GlobalOptions.Guard(async () =>
        {
            using var connection = await DaemonConnection.ConnectAsync(GlobalOptions.Connect(parse) with { AutoStart = false }, cancellationToken);
            var jobs = await connection.Client.ListJobsAsync(cancellationToken);
            foreach (var job in jobs.Jobs)
                Console.WriteLine($"{job.JobId}  {job.Operation,-9} {job.Engine,-10} {job.State,-10} {job.Fraction,4:P0}  {job.ClientLabel}");
            if (jobs.Jobs.Count == 0)
                Console.WriteLine("no jobs");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
