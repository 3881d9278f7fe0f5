using EditorBridge.Cli.Commands;
using EditorBridge.Cli.Images;
using EditorBridge.Client;
using EditorBridge.Imaging;
using EditorBridge.Testing;
using Grpc.Core;

namespace EditorBridge.Cli.Tests;

public sealed class CliUnitTests
{
    [Fact]
    public void Parameters_keep_numbers_and_flags_typed_and_the_method_wins()
    {
        var s = FillCommand.Parameters(["radius=3.5", "fast=true", "note=hello=world", "method=ns"], "telea");
        Assert.Equal(3.5, s.Fields["radius"].NumberValue);
        Assert.True(s.Fields["fast"].BoolValue);
        Assert.Equal("hello=world", s.Fields["note"].StringValue);
        Assert.Equal("telea", s.Fields["method"].StringValue);
        Assert.Contains("expected name=value", Assert.Throws<UsageException>(() => FillCommand.Parameters(["=3"], null)).Message);
    }

    [Fact]
    public void Sixteen_bit_pictures_are_read_and_written_without_loss()
    {
        using var temp = new TempDirectory();
        var data = new byte[7 * 5 * 8];
        new Random(2).NextBytes(data);
        var raster = new Raster(new PixelRect(0, 0, 7, 5), PixelFormat.Rgba16, data);
        PictureFile.Save(temp.File("wide.png"), raster);
        var back = PictureFile.Load(temp.File("wide.png"));
        Assert.Equal(PixelFormat.Rgba16, back.Format);
        Assert.Equal(data, back.Data);
    }

    [Fact]
    public void Mask_pictures_of_the_wrong_size_are_refused()
    {
        using var temp = new TempDirectory();
        TestPictures.Save(temp.File("m.png"), 4, 4, new byte[64]);
        var e = Assert.Throws<UsageException>(() => MaskFile.Load(temp.File("m.png"), new PixelRect(0, 0, 5, 4)));
        Assert.Contains("mask is 4x4, the picture is 5x4", e.Message);
    }

    [Fact]
    public void Grey_mask_pixels_become_partial_coverage()
    {
        using var temp = new TempDirectory();
        TestPictures.Save(temp.File("m.png"), 2, 1, [64, 64, 64, 255, 255, 255, 255, 128]);
        var mask = MaskFile.Load(temp.File("m.png"), new PixelRect(0, 0, 2, 1));
        Assert.Equal(new byte[] { 64, 128 }, mask.Coverage);
    }

    [Theory]
    [InlineData(StatusCode.InvalidArgument, ExitCodes.Refused, "invalid request: layer.data: bad")]
    [InlineData(StatusCode.Unauthenticated, ExitCodes.Refused, "not authenticated: layer.data: bad")]
    [InlineData(StatusCode.Cancelled, ExitCodes.Cancelled, "cancelled: layer.data: bad")]
    [InlineData(StatusCode.Unavailable, ExitCodes.DaemonUnavailable, "the daemon stopped answering")]
    public void Statuses_map_to_exit_codes_and_one_line(StatusCode status, int exit, string message)
    {
        var (code, text) = CliError.Describe(new RpcException(new Status(status, "layer.data: bad")));
        Assert.Equal(exit, code);
        Assert.Contains(message, text);
        Assert.DoesNotContain('\n', text);
    }

    [Fact]
    public void A_missing_daemon_program_says_how_to_fix_it()
    {
        var (code, text) = CliError.Describe(new DaemonUnavailableException("no daemon; run 'editorbridge serve'"));
        Assert.Equal(ExitCodes.DaemonUnavailable, code);
        Assert.Contains("editorbridge serve", text);
    }

    [Fact]
    public void Job_options_fill_model_prompts_seed_parameters_and_geometry_and_generate_has_no_selection_options()
    {
        var job = new JobOptions();
        var command = new System.CommandLine.Command("fill");
        job.AddTo(command);
        var request = new Protocol.V1.JobRequest();

        job.Apply(command.Parse(["--model", "sd15-onnx", "--prompt", "a bench", "--negative", "people", "--seed", "9", "-p", "steps=4", "--grow", "2", "--engine", "diffusion"]), request, "auto");

        Assert.Equal(("sd15-onnx", "a bench", "people", 9UL, "diffusion"), (request.Model, request.Prompt, request.NegativePrompt, request.Seed, request.Engine));
        Assert.Equal(4, request.Parameters.Fields["steps"].NumberValue);
        Assert.Equal("auto", request.Parameters.Fields["method"].StringValue);
        Assert.Equal(2, request.Geometry.GrowPixels);
        Assert.False(request.Geometry.HasFeatherPixels);
        var generate = new System.CommandLine.Command("generate");
        new JobOptions(selection: false, withPrompt: false).AddTo(generate);
        Assert.DoesNotContain(generate.Options, o => o.Name is "--grow" or "--feather" or "--prompt");
        Assert.Contains(generate.Options, o => o.Name == "--negative");
    }

    [Fact]
    public void Served_by_names_the_model_with_a_short_hash_only_when_a_model_served()
    {
        var classic = new Protocol.V1.Provenance { Engine = "classic", Device = "cpu" };
        var diffusion = new Protocol.V1.Provenance { Engine = "diffusion", Device = "cuda:0", Model = "sd15-onnx", ModelHash = new string('a', 20) + new string('b', 44) };

        Assert.Equal("classic/telea on cpu", ServedBy.Describe(classic, "telea"));
        Assert.Equal("diffusion, model sd15-onnx (aaaaaaaaaaaa) on cuda:0", ServedBy.Describe(diffusion));
    }

    [Fact]
    public void A_blank_generate_layer_is_transparent_and_its_size_is_checked()
    {
        var layer = GenerateCommand.BlankLayer(24, 16);

        Assert.Equal(new PixelRect(0, 0, 24, 16), layer.Bounds);
        Assert.All(layer.Data, b => Assert.Equal(0, b));
        Assert.Contains("--height 20000: must be 1..16384", Assert.Throws<UsageException>(() => GenerateCommand.BlankLayer(24, 20000)).Message);
    }
}
