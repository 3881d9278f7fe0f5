using System.Buffers.Binary;
using System.IO.Compression;
using EditorBridge.Testing;

namespace EditorBridge.Cli.Tests;

/// <summary>
/// Pictures in and out through the real program: a damaged picture, a bad output path and a
/// picture over the daemon's limits are refused in one line before any job is sent; a prompt the
/// engine ignores is said; <c>info</c> shows each parameter's range or choices.
/// </summary>
public sealed class CliPictureInputTests(ClassicDaemon fixture) : IClassFixture<ClassicDaemon>, IDisposable
{
    private readonly RunningDaemon daemon = fixture.Daemon;
    private readonly TempDirectory temp = new("clipic");

    public void Dispose() => temp.Dispose();

    // The tests of a class run one at a time: a job sent shows as one more job in the daemon's list.
    private async Task<int> JobCount() => (await daemon.Client.ListJobsAsync()).Jobs.Count;

    private static string Photo => TestPictures.PathOf("coffee.png");

    // The first bytes of a real photo, as a download or copy cut short leaves it (the issue's `head -c`).
    private string Truncated(string photo, double fraction, string name)
    {
        var bytes = File.ReadAllBytes(TestPictures.PathOf(photo));
        File.WriteAllBytes(temp.File(name), bytes[..(int)(bytes.Length * fraction)]);
        return temp.File(name);
    }

    public static TheoryData<string[]> DamagedPictureCommands => new()
    {
        { ["fill", "CUT.png", "--rect", "10,10,20,20", "-o", "OUT"] },
        { ["fill", "CUT.jpg", "--rect", "10,10,20,20", "-o", "OUT"] },
        { ["fill", "PHOTO", "--mask", "CUT.png", "-o", "OUT"] },
        { ["restore", "CUT.png", "-o", "OUT"] },
        { ["stylize", "PHOTO", "--input", "reference=CUT.jpg", "-o", "OUT"] },
        { ["colorize", "PHOTO", "--input", "reference=CUT.png", "-o", "OUT"] },
        { ["compose", "PHOTO", "--input", "object=FLIPPED.png", "-o", "OUT"] },
        { ["eval", "PHOTO", "CUT.png"] },
    };

    [Theory]
    [MemberData(nameof(DamagedPictureCommands))]
    public async Task A_damaged_picture_is_refused_in_one_line_before_a_job_is_sent(string[] args)
    {
        // coffee.png cut to 70 % (as in the issue), a JPEG cut in half, a PNG with one bit flipped
        var files = new Dictionary<string, string>
        {
            ["CUT.png"] = Truncated("coffee.png", 0.7, "cut.png"),
            ["CUT.jpg"] = Truncated("rocket.jpg", 0.5, "cut.jpg"),
            ["FLIPPED.png"] = Flipped(),
            ["PHOTO"] = Photo,
            ["OUT"] = temp.File("out.png"),
        };
        var damaged = args.Select(a => files.Keys.FirstOrDefault(k => k != "PHOTO" && k != "OUT" && a.EndsWith(k, StringComparison.Ordinal))).First(k => k is not null)!;

        int jobs = await JobCount();
        var run = await Cli(args.Select(a => files.Aggregate(a, (text, file) => text.Replace(file.Key, file.Value, StringComparison.Ordinal))).ToArray());

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith($"editorbridge: error: damaged picture: {files[damaged]}: ", line);
        Assert.Contains(damaged == "FLIPPED.png" ? "fails its checksum" : "the file ends before the picture does", line);
        Assert.False(File.Exists(temp.File("out.png")));
        Assert.Equal(jobs, await JobCount());
    }

    // coffee.png with one bit of its image data flipped: whole length, wrong CRC.
    private string Flipped()
    {
        var bytes = File.ReadAllBytes(Photo);
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(temp.File("flipped.png"), bytes);
        return temp.File("flipped.png");
    }

    public static TheoryData<string, string> BadOutputs => new()
    {
        { "FOLDER", "is a folder; give a file name such as" },
        { "x.xyz", "'.xyz' is not a picture type this tool writes; use one of " },
        { "noextension", "no extension; use one of " },
        { "FILE/out.png", "is a file, not a folder" },
    };

    [Theory]
    [MemberData(nameof(BadOutputs))]
    public async Task A_bad_output_path_is_one_line_before_the_job_runs(string output, string message)
    {
        File.WriteAllText(temp.File("file"), "not a folder");
        var path = output.Replace("FOLDER", temp.Path).Replace("FILE", temp.File("file"));
        if (!path.StartsWith('/'))
            path = temp.File(path);

        int jobs = await JobCount();
        var fill = await Cli("fill", Photo, "--rect", "10,10,20,20", "-o", path);
        var restore = await Cli("restore", Photo, "-o", path);

        foreach (var run in new[] { fill, restore })
        {
            Assert.Equal(ExitCodes.Usage, run.ExitCode);
            var line = Assert.Single(run.ErrorLines);
            Assert.StartsWith($"editorbridge: error: -o {path}: ", line);
            Assert.Contains(message, line);
        }

        Assert.Equal(jobs, await JobCount());
    }

    [Fact]
    public async Task A_picture_over_the_daemons_limits_is_refused_from_its_header_naming_the_pixel_limit()
    {
        // 12000² (the issue's case): a valid 1-bit PNG of a few KB that would decode to 576 MB of RGBA
        var big = temp.File("big.png");
        WriteBlackPng(big, 12000, 12000);

        int jobs = await JobCount();
        var run = await Cli("fill", big, "--mask", big, "-o", temp.File("o.png"));

        Assert.Equal(ExitCodes.Refused, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        // the CLI's own check names the file; the daemon's refusal would name "layer" after 2 GB had been read and sent
        Assert.Equal($"editorbridge: error: too large: {big}: 12000x12000 = 144000000 pixels is over the daemon's limit of 67108864 pixels (EditorBridge:Limits:MaxPixels)", line);
        Assert.Equal(jobs, await JobCount());
    }

    [Fact]
    public async Task A_prompt_the_engine_ignores_is_said_on_stderr()
    {
        var run = await Cli("fill", Photo, "--rect", "10,10,20,20", "-o", temp.File("o.png"), "--prompt", "a red boat", "--method", "telea");
        var plain = await Cli("fill", Photo, "--rect", "10,10,20,20", "-o", temp.File("p.png"), "--method", "telea");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("editorbridge: note: the classic engine ignores --prompt", run.ErrorLines);
        Assert.True(plain.ExitCode == 0, plain.Error);
        Assert.DoesNotContain(plain.ErrorLines, l => l.Contains("ignores", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Info_shows_each_parameters_default_with_its_range_or_choices()
    {
        var run = await CliProcess.RunAsync("info", "--state-dir", daemon.StateDirectory, "--no-start");

        Assert.True(run.ExitCode == 0, run.Error);
        var classicFill = (await daemon.Client.GetInfoAsync()).Engines.Single(e => e.Name == "classic").Operations.Single(o => o.Name == "fill");
        var method = classicFill.Parameters.Single(p => p.Name == "method");
        var number = classicFill.Parameters.First(p => p.HasMinimum && p.HasMaximum);
        Assert.Contains($"method=auto ({string.Join("|", method.Choices)})", run.Out);
        Assert.Contains($"{number.Name}={Commands.OperationCommand.FormatValue(number.DefaultValue)} ({Commands.OperationCommand.FormatValue(Google.Protobuf.WellKnownTypes.Value.ForNumber(number.Minimum))}..{Commands.OperationCommand.FormatValue(Google.Protobuf.WellKnownTypes.Value.ForNumber(number.Maximum))})", run.Out);
    }

    private Task<CliProcess.Outcome> Cli(params string[] args) =>
        CliProcess.RunAsync([.. args, "--state-dir", daemon.StateDirectory, "--no-start"]);

    // A black greyscale PNG at 1 bit a pixel: IHDR, one IDAT of zero rows, IEND, every CRC right.
    internal static void WriteBlackPng(string path, int width, int height)
    {
        using var file = File.Create(path);
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 1; // bit depth; colour type 0 (grey), deflate, no filter method, no interlace
        Chunk(file, "IHDR", header);
        using var rows = new MemoryStream();
        using (var zlib = new ZLibStream(rows, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[1 + (width + 7) / 8];
            for (int y = 0; y < height; y++)
                zlib.Write(row);
        }

        Chunk(file, "IDAT", rows.ToArray());
        Chunk(file, "IEND", []);
    }

    private static void Chunk(Stream file, string type, byte[] data)
    {
        var word = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        file.Write(word);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        file.Write(typeBytes);
        file.Write(data);
        var crc = new System.IO.Hashing.Crc32();
        crc.Append(typeBytes);
        crc.Append(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc.GetCurrentHashAsUInt32());
        file.Write(word);
    }
}
