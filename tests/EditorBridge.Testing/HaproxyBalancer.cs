using System.Diagnostics;
using System.Text;
using EditorBridge.Client;
using EditorBridge.Daemon.Hosting;
using EditorBridge.LocalState;

namespace EditorBridge.Testing;

/// <summary>
/// A real HAProxy (the Debian package) running the shipped deploy/haproxy/editorbridge.cfg.template,
/// its @...@ values filled in as an admin would, in the foreground on its own loopback address and
/// port, with its own self-signed certificate. Disposing kills it.
/// </summary>
public sealed class HaproxyBalancer : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private HaproxyBalancer(Process process, string address, int port, string fingerprint)
    {
        this.process = process;
        Url = new Uri($"https://{address}:{port}");
        Fingerprint = fingerprint;
        process.ErrorDataReceived += (_, e) => Note(e.Data);
        process.OutputDataReceived += (_, e) => Note(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
    }

    public Uri Url { get; }

    public string Fingerprint { get; }

    public static string Template => Path.Combine(NginxBalancer.RepositoryRoot(), "deploy", "haproxy", "editorbridge.cfg.template");

    public static bool IsInstalled => Executable() is not null;

    /// <summary>
    /// Each backend's <c>Name</c> is its daemon's <c>--backend-name</c> (the server name CancelJob by id
    /// is routed to). <paramref name="trusted"/>: the PEM certificates HAProxy accepts from the
    /// backends (@BACKEND_CA@); they must hold <see cref="NginxBalancer.BackendName"/>.
    /// </summary>
    public static async Task<HaproxyBalancer> StartAsync(string prefix, string address, IEnumerable<(string Name, string Address, int Port)> backends, IEnumerable<string> trusted)
    {
        Directory.CreateDirectory(prefix);
        var certificate = SelfSignedCertificate.LoadOrCreate(prefix, [address]);
        var pem = Path.Combine(prefix, "balancer.pem"); // HAProxy's crt: the certificate, then its key
        File.WriteAllText(pem, File.ReadAllText(Path.Combine(prefix, SelfSignedCertificate.CertificateFileName)).TrimEnd() + "\n" + File.ReadAllText(Path.Combine(prefix, SelfSignedCertificate.KeyFileName)));
        int port = NginxBalancer.FreePort(address);
        var config = File.ReadAllText(Template)
            .Replace("@LISTEN@", $"{address}:{port}", StringComparison.Ordinal)
            .Replace("@SERVERS@", string.Join("\n    ", backends.Select(b => $"server {b.Name} {b.Address}:{b.Port}")), StringComparison.Ordinal)
            .Replace("@PEM@", pem, StringComparison.Ordinal)
            .Replace("@BACKEND_CA@", NginxBalancer.WriteTrustFile(prefix, trusted), StringComparison.Ordinal)
            .Replace("@BACKEND_NAME@", NginxBalancer.BackendName, StringComparison.Ordinal)
            .Replace("@PREFIX@", prefix, StringComparison.Ordinal);
        var configFile = Path.Combine(prefix, "haproxy.cfg");
        File.WriteAllText(configFile, config);
        var start = new ProcessStartInfo(Executable() ?? throw new InvalidOperationException("haproxy is not installed (tests/prerequisites.sh installs it)"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-f", configFile, "-db" }) // -db: in the foreground, as this process's child
            start.ArgumentList.Add(a);
        var balancer = new HaproxyBalancer(Process.Start(start)!, address, port, CertificatePin.Of(certificate));
        if (await ListenerProbe.WaitAsync(balancer.process, address, port))
            return balancer;

        await balancer.DisposeAsync();
        throw new InvalidOperationException($"haproxy did not start:\n{balancer.Output}");
    }

    /// <summary>What HAProxy printed (start-up warnings and alerts; the config has no access log).</summary>
    public string Output
    {
        get
        {
            lock (output)
                return output.ToString();
        }
    }

    /// <summary>A client of the balancer, as a painter's machine connects to the studio's one URL.</summary>
    public Task<DaemonConnection> ConnectAsync(string token, string stateDirectory) =>
        DaemonConnection.ConnectAsync(new ConnectOptions { DaemonUrl = Url, Token = token, Fingerprint = Fingerprint, StateDirectory = stateDirectory, ConnectTimeout = TimeSpan.FromSeconds(60) });

    private void Note(string? line)
    {
        if (line is null)
            return;
        lock (output)
            output.AppendLine(line);
    }

    private static string? Executable() =>
        new[] { "/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy" }.FirstOrDefault(File.Exists);

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
