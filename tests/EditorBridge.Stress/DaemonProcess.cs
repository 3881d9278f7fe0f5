using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EditorBridge.Client;
using EditorBridge.LocalState;

namespace EditorBridge.Stress;

/// <summary>
/// The real daemon as a child process (<c>dotnet editorbridge.dll serve</c>), so that a crash is
/// seen as a dead process rather than taking the harness with it, and so that its memory is its
/// own. Settings go into the state folder's settings.json; its console output is kept for checks.
/// </summary>
public sealed class DaemonProcess : IAsyncDisposable
{
    private readonly StringBuilder output;
    private readonly Process process;

    private DaemonProcess(Process process, StringBuilder output, StatePaths paths, DiscoveryInfo discovery, string token)
    {
        this.process = process;
        this.output = output;
        Paths = paths;
        Discovery = discovery;
        Token = token;
        Connection = DaemonConnection.Open(discovery, token, paths);
        Http = new HttpClient { BaseAddress = new Uri(discovery.HttpAddress), Timeout = TimeSpan.FromSeconds(60) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public StatePaths Paths { get; }

    public DiscoveryInfo Discovery { get; }

    public string Token { get; }

    public int Pid => process.Id;

    public DaemonConnection Connection { get; }

    public EditorBridgeClient Client => Connection.Client;

    /// <summary>JSON over HTTP/1.1 with the token set, as the Krita bridge talks.</summary>
    public HttpClient Http { get; }

    public bool HasExited => process.HasExited;

    public int? ExitCode => process.HasExited ? process.ExitCode : null;

    /// <summary>What the daemon wrote to its console and its log file so far.</summary>
    public string Output
    {
        get
        {
            var console = Text(output);
            return File.Exists(Paths.LogFile) ? console + File.ReadAllText(Paths.LogFile) : console;
        }
    }

    /// <summary>The daemon setting that names a second engines folder (DaemonOptions.ExtraEnginesDirectory).</summary>
    public const string ExtraEnginesVariable = "EDITORBRIDGE_ExtraEnginesDirectory";

    /// <summary>The test engine plugins (the fault engine) beside this assembly: tests/EditorBridge.FaultEngine/TestEngines.targets puts them there.</summary>
    public static string TestEnginesDirectory => Path.Combine(AppContext.BaseDirectory, "test-engines");

    /// <summary>The editorbridge program beside this assembly (the CLI's build output).</summary>
    public static string DefaultProgram => Path.Combine(AppContext.BaseDirectory, "editorbridge.dll");

    /// <summary>
    /// Starts <c>editorbridge serve</c> on free loopback ports in <paramref name="stateDirectory"/>
    /// (made 0700 if missing) and waits until it answers GetInfo. With <paramref name="faultEngine"/>
    /// the daemon also loads the plugins of <see cref="TestEnginesDirectory"/>.
    /// </summary>
    public static async Task<DaemonProcess> StartAsync(string stateDirectory, DaemonSettings? settings = null, bool faultEngine = true, string? program = null, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var paths = new StatePaths(Path.GetFullPath(stateDirectory));
        paths.EnsureExists();
        if (settings is not null)
            File.WriteAllText(Path.Combine(paths.StateDirectory, "settings.json"), settings.ToJson());
        var start = Command(program ?? DefaultProgram, "serve", "--state-dir", paths.StateDirectory);
        if (faultEngine)
            start.Environment[ExtraEnginesVariable] = TestEnginesDirectory;
        // Its own model store: a model installed for the user would take over fill and change what the run measures.
        start.Environment[ModelStoreLocation.ModelsDirVariable] = Path.Combine(paths.StateDirectory, "models");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the daemon");
        var captured = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(captured, e.Data);
        process.ErrorDataReceived += (_, e) => Append(captured, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < until)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"the daemon exited with code {process.ExitCode} while starting: {Text(captured)}");
            var discovery = DiscoveryInfo.TryRead(paths.DiscoveryFile);
            if (discovery?.Pid == process.Id)
            {
                var daemon = new DaemonProcess(process, captured, paths, discovery, TokenFile.Read(paths.TokenFile));
                await daemon.Client.GetInfoAsync(TimeSpan.FromSeconds(30));
                return daemon;
            }

            await Task.Delay(50);
        }

        process.Kill(entireProcessTree: true);
        throw new TimeoutException($"the daemon did not write its discovery file in time: {Text(captured)}");
    }

    /// <summary>A ProcessStartInfo for the editorbridge program (a .dll runs through dotnet).</summary>
    public static ProcessStartInfo Command(string program, params string[] args)
    {
        var start = program.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? new ProcessStartInfo("dotnet") { ArgumentList = { program } }
            : new ProcessStartInfo(program);
        foreach (var a in args)
            start.ArgumentList.Add(a);
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.Environment.Remove(StatePaths.StateDirVariable);
        start.Environment.Remove(ExtraEnginesVariable);
        return start;
    }

    /// <summary>Resident memory now (VmRSS), bytes; 0 where /proc is missing.</summary>
    public long ResidentBytes() => ProcessMemory.Resident(Pid);

    /// <summary>Peak resident memory since start (VmHWM), bytes.</summary>
    public long PeakResidentBytes() => ProcessMemory.PeakResident(Pid);

    /// <summary>Answers GetInfo within <paramref name="timeout"/>.</summary>
    public async Task<bool> AnswersAsync(TimeSpan timeout)
    {
        try
        {
            await Client.GetInfoAsync(timeout);
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>SIGKILL: no clean-up, as when the machine or the user kills it.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Connection.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private static void Append(StringBuilder target, string? line)
    {
        if (line is null)
            return;
        lock (target)
            target.AppendLine(line);
    }

    private static string Text(StringBuilder builder)
    {
        lock (builder)
            return builder.ToString();
    }
}

/// <summary>The daemon settings a reliability run changes (written to settings.json).</summary>
public sealed record DaemonSettings(
    long MaxRequestBytes = 8L << 20,
    int MaxSide = 4096,
    long MaxPixels = 2048L * 2048,
    int JobTimeoutSeconds = 3600,
    int MaxConcurrentJobsPerDevice = 1,
    long BlobBudgetBytes = 256L << 20)
{
    public string ToJson() => JsonSerializer.Serialize(new
    {
        Limits = new { MaxRequestBytes, MaxSide, MaxPixels, JobTimeoutSeconds, MaxConcurrentJobsPerDevice, BlobBudgetBytes },
    });
}
