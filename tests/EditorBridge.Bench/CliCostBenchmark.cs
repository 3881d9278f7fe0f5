using System.Globalization;
using System.Text.RegularExpressions;
using EditorBridge.Cli.Images;
using EditorBridge.Client;
using EditorBridge.Imaging;
using EditorBridge.Testing;
using OpenCvSharp;

namespace EditorBridge.Bench;

/// <summary>
/// The CLI's own CPU (user + system of the `editorbridge` process, getrusage of the child) for
/// `--version`, `info --no-start` and a Telea fill of a 1024² photo, beside the daemon's CPU and
/// job time for the same fill (the same-run baseline). Builds are compared interleaved:
/// `-- clicost [LABEL=PROGRAM ...] [--repeats N]`, PROGRAM an `editorbridge` apphost or .dll
/// (default: the one built beside the bench). Every build's filled picture must hold the same
/// pixels. Goal (issue 17): a fill's own CPU ≤ 0.5 s.
/// </summary>
internal static partial class CliCostBenchmark
{
    private const string Rect = "660,200,324,324";

    public static async Task RunAsync(string[] args)
    {
        int repeats = 7;
        var builds = new List<(string Label, string Program)>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--repeats")
                repeats = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i].Split('=', 2) is [var label, var program])
                builds.Add((label, Path.GetFullPath(program)));
            else
                throw new ArgumentException($"clicost: expected LABEL=PROGRAM or --repeats N, got '{args[i]}'");
        }

        if (builds.Count == 0)
            builds.Add(("build", File.Exists(Path.Combine(AppContext.BaseDirectory, "editorbridge")) ? Path.Combine(AppContext.BaseDirectory, "editorbridge") : Path.Combine(AppContext.BaseDirectory, "editorbridge.dll")));

        Console.WriteLine($"\n## The CLI's own CPU (user+sys of the CLI process) vs the daemon's for the same job; {repeats} interleaved rounds after a warm-up, {Environment.ProcessorCount} cores");
        using var work = new TempDirectory("bench-cli");
        var picture = work.File("photo-1024.png");
        PictureFile.Save(picture, Photo1024());
        var state = Path.Combine(work.Path, "state");
        var daemonProgram = builds[0].Program;
        using var connection = await DaemonConnection.ConnectAsync(new ConnectOptions { StateDirectory = state, DaemonCommand = daemonProgram });
        int daemonPid = connection.Discovery.Pid;
        try
        {
            var samples = new Dictionary<string, List<(double Cpu, double Wall)>>();
            var daemonCpu = new List<double>();
            var daemonJob = new List<double>();
            byte[]? expected = null;
            for (int round = 0; round <= repeats; round++)
            {
                foreach (var (label, program) in builds)
                {
                    var commands = new (string Name, string[] Arguments)[]
                    {
                        ("--version", ["--version"]),
                        ("info --no-start", ["info", "--no-start", "--state-dir", state]),
                        ("fill 1024² (telea)", ["fill", "--no-start", "--state-dir", state, picture, "--rect", Rect, "--method", "telea", "-o", work.File($"out-{label}.png")]),
                    };
                    foreach (var (name, arguments) in commands)
                    {
                        double before = ChildCpu.OfProcess(daemonPid);
                        var run = await Run(program, arguments);
                        if (run.ExitCode != 0)
                            throw new InvalidOperationException($"{label}: editorbridge {string.Join(' ', arguments)} exited {run.ExitCode}: {run.Output}");
                        if (round == 0)
                            continue; // warm-up: file cache, the daemon's first fill
                        Add(samples, $"{label}\t{name}", (run.Cpu, run.Wall));
                        if (!name.StartsWith("fill", StringComparison.Ordinal))
                            continue;
                        daemonCpu.Add(ChildCpu.OfProcess(daemonPid) - before);
                        daemonJob.Add(double.Parse(JobSeconds().Match(run.Output).Groups[1].Value, CultureInfo.InvariantCulture));
                        var pixels = PictureFile.Load(work.File($"out-{label}.png")).Data;
                        expected ??= pixels;
                        if (!pixels.AsSpan().SequenceEqual(expected))
                            throw new InvalidDataException($"{label}: the filled picture's pixels differ from the first build's");
                    }
                }
            }

            Console.WriteLine("| build | command | CLI CPU min | CLI CPU median | wall min | wall median |");
            Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
            foreach (var (key, list) in samples)
            {
                var parts = key.Split('\t');
                var cpu = list.Select(s => s.Cpu).ToList();
                var wall = list.Select(s => s.Wall).ToList();
                Console.WriteLine($"| {parts[0]} | `{parts[1]}` | {Min(cpu):0.00} s | {Median(cpu):0.00} s | {Min(wall):0.00} s | {Median(wall):0.00} s |");
            }

            Console.WriteLine($"| daemon ({builds[0].Label}) | the same fill: its CPU | {Min(daemonCpu):0.00} s | {Median(daemonCpu):0.00} s | job {Min(daemonJob):0.00} s | job {Median(daemonJob):0.00} s |");
            foreach (var (label, _) in builds)
            {
                var fill = samples[$"{label}\tfill 1024² (telea)"].Select(s => s.Cpu).ToList();
                Console.WriteLine($"{label}: fill's own CPU median {Median(fill):0.00} s = {Median(fill) / Median(daemonCpu):0.0}× the daemon's; goal ≤ 0.5 s: {(Median(fill) <= 0.5 ? "met" : "NOT met")}");
            }
        }
        finally
        {
            using var daemon = System.Diagnostics.Process.GetProcessById(daemonPid);
            daemon.Kill();
            await daemon.WaitForExitAsync();
        }
    }

    private static Task<(double Cpu, double Wall, int ExitCode, string Output)> Run(string program, string[] arguments) =>
        program.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? ChildCpu.RunAsync("dotnet", [program, .. arguments])
            : ChildCpu.RunAsync(program, arguments);

    private static void Add(Dictionary<string, List<(double, double)>> samples, string key, (double, double) sample)
    {
        if (!samples.TryGetValue(key, out var list))
            samples[key] = list = [];
        list.Add(sample);
    }

    private static double Min(List<double> values) => values.Min();

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>The astronaut photo enlarged to 1024² (cubic), as the fill benchmark uses it.</summary>
    private static Raster Photo1024()
    {
        var small = TestPictures.Load("astronaut.png");
        using var source = Mat.FromPixelData(small.Height, small.Width, MatType.CV_8UC4, small.Rgba);
        using var big = new Mat();
        Cv2.Resize(source, big, new Size(1024, 1024), interpolation: InterpolationFlags.Cubic);
        var rgba = new byte[1024 * 1024 * 4];
        System.Runtime.InteropServices.Marshal.Copy(big.Data, rgba, 0, rgba.Length);
        return new Raster(new PixelRect(0, 0, 1024, 1024), PixelFormat.Rgba8, rgba);
    }

    // "filled … in 0.42 s, seed …": the daemon's own time for the job (its provenance)
    [GeneratedRegex(@" in ([0-9.]+) s, seed")]
    private static partial Regex JobSeconds();
}
