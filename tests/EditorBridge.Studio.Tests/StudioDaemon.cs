using System.Collections.Concurrent;
using System.Diagnostics;
using EditorBridge.Client;
using EditorBridge.Daemon.Hosting;
using EditorBridge.Testing;

namespace EditorBridge.Studio.Tests;

/// <summary>
/// `editorbridge serve --listen ADDRESS:PORT --self-signed` as a child process with its own state
/// folder, the fault engine loaded (fault-slow for long jobs), everything it prints kept (the log
/// the token must never appear in). Disposing kills it.
/// </summary>
internal sealed class StudioDaemon : IAsyncDisposable
{
    /// <summary>Only a hang guard for the daemon's start on a busy machine.</summary>
    private static readonly TimeSpan StartGuard = TimeSpan.FromSeconds(120);

    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();
    private readonly Task readers;

    private StudioDaemon(Process process, string stateDirectory, string address, int port)
    {
        this.process = process;
        CertificateFile = Path.Combine(stateDirectory, SelfSignedCertificate.CertificateFileName);
        Address = address;
        Port = port;
        readers = Task.WhenAll(Read(process.StandardOutput), Read(process.StandardError));
    }

    public string Address { get; }

    public int Port { get; }

    public Uri Url => new($"https://{Address}:{Port}");

    public string Fingerprint { get; private set; } = "";

    /// <summary>Its self-signed certificate (PEM), what a balancer in front of it trusts.</summary>
    public string CertificateFile { get; }

    public string Log => string.Join('\n', lines);

    public bool HasExited => process.HasExited;

    public static string Program => Path.Combine(AppContext.BaseDirectory, "editorbridge.dll");

    public static Task<StudioDaemon> StartAsync(string stateDirectory, string address, string tokensFile, params string[] serverNames) =>
        StartAsync(stateDirectory, address, FreePort(address), tokensFile, null, serverNames);

    /// <summary>With <paramref name="backendName"/>: <c>--backend-name</c>, job ids start with it (a balancer routes CancelJob on it).</summary>
    public static async Task<StudioDaemon> StartAsync(string stateDirectory, string address, int port, string tokensFile, string? backendName, params string[] serverNames)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in new[] { Program, "--state-dir", stateDirectory, "serve", "--listen", $"{address}:{port}", "--self-signed", "--tokens-file", tokensFile, "--server-name", address })
            start.ArgumentList.Add(a);
        if (backendName is not null)
        {
            start.ArgumentList.Add("--backend-name");
            start.ArgumentList.Add(backendName);
        }

        foreach (var name in serverNames)
        {
            start.ArgumentList.Add("--server-name");
            start.ArgumentList.Add(name);
        }

        start.Environment["EDITORBRIDGE_ExtraEnginesDirectory"] = Path.Combine(AppContext.BaseDirectory, "test-engines");
        start.Environment["EDITORBRIDGE_FinishedJobsKept"] = "500";
        start.Environment.Remove("EDITORBRIDGE_STATE_DIR");
        var daemon = new StudioDaemon(Process.Start(start)!, stateDirectory, address, port);
        var until = DateTime.UtcNow + StartGuard;
        while (DateTime.UtcNow < until)
        {
            var line = daemon.lines.FirstOrDefault(l => l.Contains("(clients pin it): ", StringComparison.Ordinal));
            if (line is not null)
            {
                daemon.Fingerprint = line[(line.IndexOf("): ", StringComparison.Ordinal) + 3)..].Trim();
                return daemon;
            }

            if (daemon.process.HasExited)
                break;
            await Task.Delay(50);
        }

        await daemon.DisposeAsync();
        throw new InvalidOperationException($"the daemon on {address}:{port} did not start:\n{daemon.Log}");
    }

    /// <summary>A connection as a studio client makes it: by URL, with a token and the pinned fingerprint.</summary>
    public Task<DaemonConnection> ConnectAsync(string token, string stateDirectory, string? fingerprint = null) =>
        DaemonConnection.ConnectAsync(new ConnectOptions { DaemonUrl = Url, Token = token, Fingerprint = fingerprint ?? Fingerprint, StateDirectory = stateDirectory, ConnectTimeout = TimeSpan.FromSeconds(60) });

    /// <summary>SIGKILL: the daemon dies as a crashed or unplugged machine would.</summary>
    public void Kill()
    {
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public static int FreePort(string address) => NginxBalancer.FreePort(address);

    private async Task Read(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
            lines.Enqueue(line);
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await readers;
        process.Dispose();
    }
}
