using EditorBridge.Daemon.Plugins;
using EditorBridge.Engines;
using EditorBridge.Testing;

namespace EditorBridge.Daemon.Tests;

public sealed class EnginePluginLoaderTests
{
    [Fact]
    public async Task The_classic_engine_loads_from_its_own_folder_and_its_native_OpenCV_runs()
    {
        // A copy outside the build tree: the plugin must carry everything it needs (deps.json, OpenCV natives).
        using var temp = new TempDirectory("plugins");
        CopyTree(Path.Combine(RunningDaemon.BundledEnginesDirectory, "classic"), Path.Combine(temp.Path, "classic"));

        var (engines, problems) = EnginePluginLoader.LoadAll(temp.Path);

        Assert.Empty(problems);
        var classic = Assert.Single(engines);
        Assert.Equal("classic", classic.Name);
        Assert.StartsWith(temp.Path, classic.Location);
        Assert.NotSame(typeof(IEngine).Assembly, classic.Engine.GetType().Assembly);
        var picture = TestPictures.Load("coffee.png").Crop(100, 100, 64, 64);
        var hole = new byte[64 * 64];
        for (int y = 28; y < 36; y++)
            for (int x = 28; x < 36; x++)
                hole[y * 64 + x] = 255;
        foreach (var method in new[] { "telea", "ns", "fsr", "exemplar" })
            await AssertFillsOnlyTheHoleAsync(classic, picture, hole, method);
    }

    private static async Task AssertFillsOnlyTheHoleAsync(LoadedEngine classic, RgbaPicture picture, byte[] hole, string method)
    {
        var parameters = classic.Operation("fill")!.Parameters.ToDictionary(p => p.Name, p => p.Default);
        parameters["method"] = method;
        var output = await classic.Engine.RunAsync(
            new EngineRequest("fill", new EngineImage(64, 64, picture.Rgba), new EngineMask(64, 64, hole), parameters, 1, "", ""),
            new Progress<EngineProgress>(), CancellationToken.None);
        Assert.Equal(64 * 64 * 4, output.Image.Pixels.Length);
        int changedInHole = 0;
        for (int p = 0; p < hole.Length; p++)
        {
            bool same = output.Image.Pixels.AsSpan(p * 4, 4).SequenceEqual(picture.Rgba.AsSpan(p * 4, 4));
            if (hole[p] == 0)
                Assert.True(same, $"{method}: known pixel {p % 64},{p / 64} changed");
            else if (!same)
                changedInHole++;
        }

        Assert.True(changedInHole > 32, $"{method}: only {changedInHole} of 64 hole pixels were filled");
    }

    [Fact]
    public void Broken_plugins_are_reported_and_do_not_stop_the_others()
    {
        using var temp = new TempDirectory("plugins");
        CopyTree(Path.Combine(RunningDaemon.BundledEnginesDirectory, "classic"), Path.Combine(temp.Path, "classic"));
        var garbage = Directory.CreateDirectory(Path.Combine(temp.Path, "garbage")).FullName;
        File.WriteAllBytes(Path.Combine(garbage, "Garbage.dll"), [0x4D, 0x5A, 1, 2, 3]);
        File.WriteAllText(Path.Combine(garbage, "Garbage.deps.json"), ValidDepsFile("Garbage"));
        Directory.CreateDirectory(Path.Combine(temp.Path, "empty"));
        var notEngine = Directory.CreateDirectory(Path.Combine(temp.Path, "notengine")).FullName;
        // a real assembly with no engine in it, then one whose deps.json would make the .NET host abort the process
        var damaged = Directory.CreateDirectory(Path.Combine(temp.Path, "damaged")).FullName;
        File.Copy(typeof(EnginePluginLoaderTests).Assembly.Location, Path.Combine(damaged, "Damaged.dll"));
        File.WriteAllText(Path.Combine(damaged, "Damaged.deps.json"), "{}");
        File.Copy(typeof(EnginePluginLoaderTests).Assembly.Location, Path.Combine(notEngine, "NotEngine.dll"));
        File.WriteAllText(Path.Combine(notEngine, "NotEngine.deps.json"), ValidDepsFile("NotEngine"));

        var (engines, problems) = EnginePluginLoader.LoadAll(temp.Path);

        Assert.Equal("classic", Assert.Single(engines).Name);
        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.Location.Contains("Damaged.dll") && p.Message.Contains("no runtimeTarget"));
        Assert.Contains(problems, p => p.Location.Contains("Garbage.dll") && p.Message.Contains("BadImageFormat"));
        Assert.Contains(problems, p => p.Location.EndsWith("empty") && p.Message.Contains("no engine assembly"));
        Assert.Contains(problems, p => p.Location.Contains("NotEngine.dll") && p.Message.Contains("no public type implements IEngine"));
    }

    [Fact]
    public void A_missing_engines_folder_is_a_problem_not_a_crash()
    {
        var (engines, problems) = EnginePluginLoader.LoadAll("/nonexistent/editorbridge/engines");
        Assert.Empty(engines);
        Assert.Contains("does not exist", Assert.Single(problems).Message);
    }

    private static string ValidDepsFile(string name) =>
        "{\"runtimeTarget\":{\"name\":\".NETCoreApp,Version=v10.0\"},\"targets\":{\".NETCoreApp,Version=v10.0\":{\"" + name + "/1.0.0\":{\"runtime\":{\"" + name + ".dll\":{}}}}},\"libraries\":{\"" + name + "/1.0.0\":{\"type\":\"project\",\"serviceable\":false,\"sha512\":\"\"}}}";

    private static void CopyTree(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(dir.Replace(from, to));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, file.Replace(from, to));
    }
}
