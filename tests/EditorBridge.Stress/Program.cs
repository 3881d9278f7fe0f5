using System.CommandLine;

namespace EditorBridge.Stress;

/// <summary>
/// <c>dotnet run -c Release --project tests/EditorBridge.Stress</c>: the long reliability and
/// security run (hostile input, load, faults, security) against fresh daemon processes; writes the
/// figures to docs/reliability.md. Exits 0 when every case, fault and promise held, 1 otherwise
/// (the file is written either way), 2 on a bad option.
/// </summary>
public static class Program
{
    public const string CommandName = "dotnet run -c Release --project tests/EditorBridge.Stress --";

    public static async Task<int> Main(string[] args)
    {
        var cases = new Option<int>("--cases") { Description = "Hostile cases to send (at least 1000 for the published figures)", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int?>("--seed") { Description = "Seed of the hostile generator (default: random, printed)" };
        var rounds = new Option<int>("--load-rounds") { Description = "Rounds of 3 clients x 20 jobs", DefaultValueFactory = _ => 3 };
        var output = new Option<string?>("--output", "-o") { Description = "Where to write the figures (default: docs/reliability.md of the repository around the current folder)" };
        var quick = new Option<bool>("--quick") { Description = "Skip the waits for Kestrel's 30 s header timeout (slow clients are still measured)" };
        var root = new RootCommand("Run the reliability and security suite at full size and write docs/reliability.md") { cases, seed, rounds, output, quick };
        root.SetAction(async (parse, cancellationToken) =>
        {
            int n = parse.GetValue(cases);
            if (n < 1)
            {
                Console.Error.WriteLine("stress: error: --cases must be at least 1");
                return 2;
            }

            var options = new StressRun.Options(
                Cases: n,
                Seed: parse.GetValue(seed) ?? Random.Shared.Next(1, 1_000_000),
                LoadRounds: Math.Max(1, parse.GetValue(rounds)),
                WaitForHeaderTimeout: !parse.GetValue(quick));
            return await RunAsync(options, parse.GetValue(output) ?? DefaultOutput(), cancellationToken);
        });
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
                Console.Error.WriteLine($"stress: error: {error.Message}");
            return 2;
        }

        return await parsed.InvokeAsync();
    }

    private static async Task<int> RunAsync(StressRun.Options options, string path, CancellationToken cancellationToken)
    {
        Console.WriteLine($"stress: {options.Cases} hostile cases (seed {options.Seed}), {options.LoadRounds} load rounds; figures to {path}");
        var report = await StressRun.RunAsync(options, new Progress<string>(Console.WriteLine), cancellationToken);
        var commandLine = $"{CommandName} --cases {options.Cases} --seed {options.Seed} --load-rounds {options.LoadRounds}{(options.WaitForHeaderTimeout ? "" : " --quick")}";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, ReliabilityReport.Markdown(report, commandLine), cancellationToken);
        bool held = report.Hostile.Failures.Count == 0 && report.Hostile.Crashes == 0 && report.Load.Problems.Count == 0
            && report.Faults.All(f => f.Survived) && report.Security.All(s => s.Holds);
        Console.WriteLine($"{(held ? "everything held" : "SOME THINGS DID NOT HOLD")}; figures written to {path}");
        return held ? 0 : 1;
    }

    private static string DefaultOutput()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EditorBridge.sln")))
                return Path.Combine(dir.FullName, "docs", "reliability.md");
        }

        return Path.Combine(Environment.CurrentDirectory, "reliability.md");
    }
}
