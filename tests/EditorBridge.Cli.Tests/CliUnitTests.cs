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
}
