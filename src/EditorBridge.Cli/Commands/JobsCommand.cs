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
            if (jobs.Jobs.Count == 0)
            {
                Console.WriteLine("no jobs");
                return ExitCodes.Ok;
            }

            Console.Write(Table(jobs.Jobs));
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>A header row, then one row per job: id, operation, engine, state, progress, owner (the studio token's name, or "local"), the client's label.</summary>
    public static string Table(IReadOnlyCollection<Protocol.V1.JobSummary> jobs)
    {
        int id = Math.Max("job".Length, jobs.Max(j => j.JobId.Length));
        int operation = Math.Max("operation".Length, jobs.Max(j => j.Operation.Length));
        int engine = Math.Max("engine".Length, jobs.Max(j => j.Engine.Length));
        int state = Math.Max("state".Length, jobs.Max(j => State(j.State).Length));
        int owner = Math.Max("owner".Length, jobs.Max(j => j.Owner.Length));
        var text = new System.Text.StringBuilder();
        text.AppendLine($"{"job".PadRight(id)}  {"operation".PadRight(operation)}  {"engine".PadRight(engine)}  {"state".PadRight(state)}  done  {"owner".PadRight(owner)}  client");
        foreach (var job in jobs)
        {
            var done = job.Fraction.ToString("P0", System.Globalization.CultureInfo.InvariantCulture).Replace(" ", "");
            text.AppendLine($"{job.JobId.PadRight(id)}  {job.Operation.PadRight(operation)}  {job.Engine.PadRight(engine)}  {State(job.State).PadRight(state)}  {done,4}  {job.Owner.PadRight(owner)}  {job.ClientLabel}");
        }

        return text.ToString();
    }

    /// <summary>"queued", "running", "succeeded", "failed", "cancelled".</summary>
    public static string State(Protocol.V1.JobState state) => state.ToString().ToLowerInvariant();
}
