using System.Diagnostics;
using System.Globalization;

namespace EditorBridge.Bench;

/// <summary>The JSON client in Python (python/json_client.py, run by /usr/bin/python3 as Krita's plugin is): one process, a command a round trip.</summary>
internal sealed class PythonJsonClient : IDisposable
{
    private readonly Process process;

    private PythonJsonClient(Process process) => this.process = process;

    public static PythonJsonClient Start(int httpPort, string token)
    {
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "python", "json_client.py") },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.Environment["EDITORBRIDGE_BENCH_PORT"] = httpPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["EDITORBRIDGE_BENCH_TOKEN"] = token;
        return new PythonJsonClient(Process.Start(start) ?? throw new InvalidOperationException("python3 did not start"));
    }

    /// <summary>One round trip by <paramref name="path"/> ("bytes", "shm", "shm-copy" or "shm-job"), timed inside Python, ms.</summary>
    public double RoundTrip(string path, int side, int bytesPerPixel)
    {
        process.StandardInput.WriteLine($"{path} {side} {bytesPerPixel}");
        process.StandardInput.Flush();
        var answer = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the Python client ended");
        return double.TryParse(answer, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)
            ? ms
            : throw new InvalidOperationException($"the Python client: {answer}");
    }

    /// <summary>Prints the Python client's shared-memory stages (python/json_stages.py): markdown rows.</summary>
    public void Stages(int side, int bytesPerPixel, int rounds)
    {
        process.StandardInput.WriteLine($"stages {side} {bytesPerPixel} {rounds}");
        process.StandardInput.Flush();
        while (process.StandardOutput.ReadLine() is { } line && line != "end")
        {
            if (line.StartsWith("error", StringComparison.Ordinal))
                throw new InvalidOperationException($"the Python client: {line}");
            Console.WriteLine(line);
        }
    }

    public void Dispose()
    {
        process.StandardInput.Close();
        if (!process.WaitForExit(5000))
            process.Kill();
        process.Dispose();
    }
}
