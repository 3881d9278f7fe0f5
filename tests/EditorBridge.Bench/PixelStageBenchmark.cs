using System.Diagnostics;
using System.IO.MemoryMappedFiles;
using EditorBridge.LocalState;

namespace EditorBridge.Bench;

/// <summary>
/// `-- pixels` part two: where a shared-memory round trip's time goes, stage by stage, for a 4096²
/// RGBA8 layer (64 MiB), with the primitives the daemon and the client use (a region file made new
/// and mapped, <see cref="MappedViewCopy"/>), in a folder on the state folder's file system and on
/// tmpfs: the client's write into a fresh and into a kept mapping, the daemon's copy of the input
/// into a fresh and into a reused array, its write of the result, the client's read back into a
/// fresh array. Min / median ms of ROUNDS, and the page faults each stage took (minor faults of
/// this process, median).
/// </summary>
internal static class PixelStageBenchmark
{
    private const long Size = 4096L * 4096 * 4;

    public static void Run(int rounds, string stateFolder)
    {
        Console.WriteLine($"\n### Where a 4096² RGBA8 shared-memory round trip goes: stages alone, min / median ms of {rounds} (page faults, median)");
        var folders = new List<(string Name, string Path)> { ($"state folder ({FileSystem(stateFolder)})", stateFolder) };
        if (Directory.Exists("/dev/shm"))
            folders.Add(("tmpfs (/dev/shm)", "/dev/shm"));
        Console.WriteLine("| stage | " + string.Join(" | ", folders.Select(f => f.Name)) + " |");
        Console.WriteLine("| --- |" + string.Concat(folders.Select(_ => " --- |")));
        var layer = new byte[Size];
        new Random(7).NextBytes(layer);
        var reused = new byte[Size];
        var results = folders.Select(f => Stages(f.Path, rounds, layer, reused)).ToList();
        foreach (var stage in results[0].Keys)
            Console.WriteLine($"| {stage} | " + string.Join(" | ", results.Select(r => r[stage])) + " |");
    }

    private static Dictionary<string, string> Stages(string folder, int rounds, byte[] layer, byte[] reused)
    {
        var stages = new Dictionary<string, List<(double Ms, long Faults)>>();
        void Time(string stage, Action action)
        {
            long faults = MinorFaults();
            var clock = Stopwatch.StartNew();
            action();
            double ms = clock.Elapsed.TotalMilliseconds;
            if (!stages.TryGetValue(stage, out var list))
                stages[stage] = list = [];
            list.Add((ms, MinorFaults() - faults));
        }

        for (int round = -1; round < rounds; round++)
        {
            var path = Path.Combine(folder, $"stage-{Guid.NewGuid():N}");
            MemoryMappedFile? file = null;
            MemoryMappedViewAccessor? view = null;
            Time("daemon: make and map a new region file", () =>
            {
                var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite });
                stream.SetLength(Size);
                file = MemoryMappedFile.CreateFromFile(stream, null, Size, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
                view = file.CreateViewAccessor(0, Size, MemoryMappedFileAccess.ReadWrite);
            });
            try
            {
                Time("client: write into a fresh mapping (first touch)", () => MappedViewCopy.Copy(view!, 0, layer, 0, layer.Length, toMapping: true));
                Time("client: write into a kept mapping", () => MappedViewCopy.Copy(view!, 0, layer, 0, layer.Length, toMapping: true));
                Time("daemon: input into a fresh array", () =>
                {
                    var snapshot = GC.AllocateUninitializedArray<byte>(layer.Length);
                    MappedViewCopy.Copy(view!, 0, snapshot, 0, snapshot.Length, toMapping: false);
                });
                Time("daemon: input into a reused array", () => MappedViewCopy.Copy(view!, 0, reused, 0, reused.Length, toMapping: false));
                Time("daemon: result into the mapping", () => MappedViewCopy.Copy(view!, 0, reused, 0, reused.Length, toMapping: true));
                Time("client: result into a fresh array", () =>
                {
                    var back = GC.AllocateUninitializedArray<byte>(layer.Length);
                    MappedViewCopy.Copy(view!, 0, back, 0, back.Length, toMapping: false);
                });
                Time("memcpy of the layer, warm arrays", () => Buffer.BlockCopy(layer, 0, reused, 0, layer.Length));
            }
            finally
            {
                view?.Dispose();
                file?.Dispose();
                File.Delete(path);
            }

            // the same region made with its blocks reserved up front (what the daemon does: a full disk
            // then refuses the region instead of killing the first writer with SIGBUS)
            Time("daemon: make, reserve and map a new region file", () =>
            {
                var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, PreallocationSize = Size, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite });
                stream.SetLength(Size);
                file = MemoryMappedFile.CreateFromFile(stream, null, Size, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
                view = file.CreateViewAccessor(0, Size, MemoryMappedFileAccess.ReadWrite);
            });
            try
            {
                Time("client: write into a fresh reserved mapping", () => MappedViewCopy.Copy(view!, 0, layer, 0, layer.Length, toMapping: true));
            }
            finally
            {
                view?.Dispose();
                file?.Dispose();
                File.Delete(path);
            }

            if (round < 0)
                stages.Clear(); // warm-up
        }

        return stages.ToDictionary(s => s.Key, s =>
        {
            var ms = s.Value.Select(v => v.Ms).Order().ToList();
            var faults = s.Value.Select(v => v.Faults).Order().ToList();
            return $"{ms[0]:0.0} / {ms[ms.Count / 2]:0.0} ({faults[faults.Count / 2]})";
        });
    }

    // minflt of this process: field 10 of /proc/self/stat
    private static long MinorFaults()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        return long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[7], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string FileSystem(string folder)
    {
        var full = Path.GetFullPath(folder);
        var best = ("", "?");
        foreach (var line in File.ReadLines("/proc/mounts"))
        {
            var parts = line.Split(' ');
            if (parts.Length > 2 && full.StartsWith(parts[1], StringComparison.Ordinal) && parts[1].Length >= best.Item1.Length)
                best = (parts[1], parts[2]);
        }

        return best.Item2;
    }
}
