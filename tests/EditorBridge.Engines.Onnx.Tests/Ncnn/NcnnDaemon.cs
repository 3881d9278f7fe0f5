using System.Diagnostics;
using EditorBridge.Testing;

namespace EditorBridge.Engines.Onnx.Tests.Ncnn;

/// <summary>
/// The real daemon with a private model store into which the real CLI (<c>editorbridge models import
/// FILE.param</c>) imported one model of each family from the npm package.
/// </summary>
public sealed class NcnnDaemon : IAsyncLifetime
{
    public static readonly (string Param, string Name)[] Imported =
    [
        ("real-esrgan/models/realesr-animevideov3-x2.param", "realesr-animevideov3-x2"),
        ("real-esrgan/models/realesr-animevideov3-x4.param", "realesr-animevideov3-x4"),
        ("real-esrgan/models/realesrgan-x4plus-anime.param", "realesrgan-x4plus-anime"),
        ("real-cugan/models-se/up2x-conservative.param", "realcugan-up2x-conservative"),
        ("waifu2x/models-cunet/noise1_scale2.0x_model.param", "waifu2x-cunet-noise1_scale2x"),
        ("waifu2x/models-cunet/noise2_model.param", "waifu2x-cunet-noise2"),
    ];

    private readonly TempDirectory store = new("ncnn-models");

    public RunningDaemon Daemon { get; private set; } = null!;

    /// <summary>The onnx engine as the daemon serves it: a test can hold its next job at a tile (<see cref="EngineGate"/>).</summary>
    public EngineGate Gate { get; private set; } = null!;

    public string StorePath => store.Path;

    /// <summary>What the CLI printed for each import.</summary>
    public List<string> ImportLines { get; } = [];

    public async Task InitializeAsync()
    {
        (Daemon, Gate) = await RunningDaemon.StartGatedAsync("onnx", options =>
        {
            options.ModelsDirectory = store.Path;
            options.ExecutionProviders = ["cpu"];
        });
        foreach (var (param, _) in Imported)
        {
            var (code, output) = await CliAsync("models", "import", NcnnPackage.Param(param));
            if (code != 0)
                throw new InvalidOperationException($"editorbridge models import {param} failed ({code}): {output}");
            ImportLines.Add(output.Trim());
        }
    }

    public async Task<(int Code, string Output)> CliAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "editorbridge.dll"));
        start.ArgumentList.Add("--state-dir");
        start.ArgumentList.Add(Daemon.StateDirectory);
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    public async Task DisposeAsync()
    {
        await Daemon.DisposeAsync();
        store.Dispose();
    }
}
