using System.Text.RegularExpressions;

namespace EditorBridge.Inference.Tests;

/// <summary>
/// The environment is made once, with the shared thread pool and telemetry off, and nothing reaches
/// ONNX Runtime around it: <c>OrtEnv.Instance()</c> or <c>new SessionOptions()</c> elsewhere would make
/// ONNX Runtime's default environment first (the start-up race; OnnxStartupTests runs the fresh-process
/// test of it, in EditorBridge.Engines.Onnx.Tests).
/// </summary>
public sealed partial class OnnxRuntimeEnvironmentTests
{
    [Fact]
    public void The_environment_has_the_shared_pool_and_telemetry_off()
    {
        Assert.True(OnnxRuntimeEnvironment.Ensure(), "the environment was made before OnnxRuntimeEnvironment could make it");
        Assert.Same(OnnxRuntimeEnvironment.Env, OnnxRuntimeEnvironment.Env);
        Assert.Equal("1", Environment.GetEnvironmentVariable(OnnxRuntimeEnvironment.TelemetryVariable));
        using var options = OnnxRuntimeEnvironment.NewSessionOptions();
        Assert.Contains("CPUExecutionProvider", OnnxRuntimeEnvironment.AvailableProviders());
    }

    [Fact]
    public void No_source_reaches_ONNX_Runtime_around_OnnxRuntimeEnvironment()
    {
        var root = RepositoryRoot();
        var offenders = new List<string>();
        foreach (var top in new[] { "src", "plugins", "tests" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, top), "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                if (relative.Contains("/obj/") || relative.Contains("/bin/") || relative.EndsWith("/OnnxRuntimeEnvironmentTests.cs"))
                    continue;
                var lines = File.ReadAllLines(file);
                for (int i = 0; i < lines.Length; i++)
                {
                    if (Around().IsMatch(lines[i]) && !Allowed(relative, lines[i]))
                        offenders.Add($"{relative}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        Assert.True(offenders.Count == 0, "these reach ONNX Runtime around OnnxRuntimeEnvironment:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void Guard_the_scan_sees_each_way_around()
    {
        Assert.All(["var env = OrtEnv.Instance();", "using var o = new SessionOptions();", "new SessionOptions { GraphOptimizationLevel = x }", "OrtEnv.CreateInstanceWithOptions(ref options);"],
            line => Assert.Matches(Around(), line));
        Assert.DoesNotMatch(Around(), "using var options = OnnxRuntimeEnvironment.NewSessionOptions();");
    }

    // OnnxRuntimeEnvironment makes the environment and the session options; SessionOpener opens every session
    private static bool Allowed(string file, string line) =>
        file.EndsWith("src/EditorBridge.Inference/OnnxRuntimeEnvironment.cs", StringComparison.Ordinal)
        || file.EndsWith("src/EditorBridge.Inference/SessionOpener.cs", StringComparison.Ordinal) && line.Contains("new InferenceSession(", StringComparison.Ordinal);

    [GeneratedRegex(@"OrtEnv\.(Instance|CreateInstance\w*)\s*\(|new\s+SessionOptions\b|new\s+InferenceSession\s*\(")]
    private static partial Regex Around();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EditorBridge.sln")))
                return dir.FullName;
        }

        throw new DirectoryNotFoundException($"EditorBridge.sln not found above {AppContext.BaseDirectory}");
    }
}
