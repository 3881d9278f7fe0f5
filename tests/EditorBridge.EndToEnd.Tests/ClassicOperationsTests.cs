using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace EditorBridge.EndToEnd.Tests;

/// <summary>
/// Every operation of the classic engine through the real daemon: what the selection rules promise
/// (pixels outside it come back bit for bit, a 1×1 selection and one covering the whole layer
/// work or are refused clearly), and the bad input every operation must refuse by name.
/// </summary>
public sealed class ClassicOperationsTests : IAsyncLifetime
{
    private const int Side = 96;
    private RunningDaemon daemon = null!;

    public async Task InitializeAsync() => daemon = await RunningDaemon.StartAsync();

    public async Task DisposeAsync() => await daemon.DisposeAsync();

    public static TheoryData<string> Operations => new() { "fill", "restore" };

    /// <summary>The picture each operation works on: a photo crop, or line art for colorize.</summary>
    private static RgbaPicture Picture(string operation) => TestPictures.Load("astronaut.png").Crop(200, 40, Side, Side);

    /// <summary>A valid request for <paramref name="operation"/> on <paramref name="picture"/> (no selection).</summary>
    private static JobRequest Request(string operation, RgbaPicture picture)
    {
        var request = new JobRequest { Operation = operation, Layer = WireRequests.Layer(picture), Seed = 5, Parameters = new Struct() };
        switch (operation)
        {
            case "restore":
                request.Parameters.Fields["method"] = Value.ForString("denoise");
                request.Parameters.Fields["noise_sigma"] = Value.ForNumber(10);
                break;
        }

        return request;
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Pixels_outside_a_soft_selection_come_back_bit_for_bit(string operation)
    {
        var picture = Picture(operation);
        var request = Request(operation, picture);
        // A disc of radius 20 at (48, 48) with a soft edge, in a 60x60 mask at (18, 18).
        var coverage = new byte[60 * 60];
        for (int y = 0; y < 60; y++)
            for (int x = 0; x < 60; x++)
                coverage[y * 60 + x] = (byte)Math.Clamp((22 - Math.Sqrt((x - 30) * (x - 30) + (y - 30) * (y - 30))) * 64, 0, 255);
        request.Mask = new Mask { Width = 60, Height = 60, OffsetX = 18, OffsetY = 18, Coverage = ByteString.CopyFrom(coverage) };
        request.Geometry = new GeometryOptions { GrowPixels = 0, FeatherPixels = 3 };

        var result = await daemon.Client.RunJobAsync(request);

        var layer = result.Layer;
        Assert.Equal("classic", result.Provenance.Engine);
        var pixels = layer.Data.ToByteArray();
        int changed = 0;
        for (int y = 0; y < layer.Height; y++)
            for (int x = 0; x < layer.Width; x++)
            {
                int cx = layer.OffsetX + x, cy = layer.OffsetY + y;
                var got = pixels.AsSpan((y * layer.Width + x) * 4, 4);
                var original = picture.Rgba.AsSpan((cy * Side + cx) * 4, 4);
                if (coverage[(cy - 18) * 60 + cx - 18] == 0)
                    Assert.True(got.SequenceEqual(original), $"{operation} changed ({cx},{cy}) outside the selection");
                else if (!got.SequenceEqual(original))
                    changed++;
            }

        Assert.True(changed > 100, $"{operation} changed only {changed} pixels inside the selection");
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task A_one_pixel_selection_changes_at_most_that_pixel(string operation)
    {
        var picture = Picture(operation);
        var request = Request(operation, picture);
        request.Mask = WireRequests.Rectangle(40, 50, 1, 1);
        request.Geometry = new GeometryOptions { GrowPixels = 0, FeatherPixels = 0 };

        var result = await daemon.Client.RunJobAsync(request);

        Assert.Equal((40, 50, 1, 1), (result.Layer.OffsetX, result.Layer.OffsetY, result.Layer.Width, result.Layer.Height));
        Assert.Equal(picture.Rgba[(50 * Side + 40) * 4 + 3], result.Layer.Data[3]);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task A_selection_covering_the_whole_layer_works_or_is_refused_by_name(string operation)
    {
        var picture = Picture(operation);
        var request = Request(operation, picture);
        request.Mask = WireRequests.Rectangle(0, 0, Side, Side);

        if (operation == "fill")
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.RunJobAsync(request));
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            Assert.Contains("mask: the selection covers the whole layer", e.Status.Detail);
            return;
        }

        var result = await daemon.Client.RunJobAsync(request);
        Assert.Equal((0, 0, Side, Side), (result.Layer.OffsetX, result.Layer.OffsetY, result.Layer.Width, result.Layer.Height));
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task An_all_transparent_layer_is_refused_by_name(string operation)
    {
        var request = Request(operation, new RgbaPicture(Side, Side, new byte[Side * Side * 4]));
        request.Mask = WireRequests.Rectangle(30, 30, 20, 20);

        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.RunJobAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("layer: ", e.Status.Detail);
        Assert.Contains("fully transparent", e.Status.Detail);
    }

    [Fact]
    public async Task Restore_enlarges_a_whole_layer_and_refuses_to_enlarge_a_selection()
    {
        var picture = Picture("restore");
        var request = Request("restore", picture);
        request.Parameters.Fields["method"] = Value.ForString("upscale");
        request.Parameters.Fields["scale"] = Value.ForNumber(2);
        request.Layer.OffsetX = -5;
        request.Layer.OffsetY = 7;

        var result = await daemon.Client.RunJobAsync(request);

        Assert.Equal((-10, 14, 2 * Side, 2 * Side), (result.Layer.OffsetX, result.Layer.OffsetY, result.Layer.Width, result.Layer.Height));
        request.Mask = WireRequests.Rectangle(0, 10, 8, 8);
        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.RunJobAsync(request));
        Assert.Contains("mask: 'restore' with scale=2 makes the whole layer 2× larger", e.Status.Detail);
    }

    public static TheoryData<string, string, Value, string> BadParameters => new()
    {
        { "restore", "method", Value.ForString("sharpen"), "parameters.method: 'sharpen' is not one of: auto, denoise, deblur, upscale" },
        { "restore", "noise_sigma", Value.ForNumber(-1), "parameters.noise_sigma: -1 is outside 0..100" },
        { "restore", "scale", Value.ForNumber(8), "parameters.scale: 8 is outside 1..4" },
        { "restore", "scale", Value.ForNumber(1), "parameters.scale: upscale needs scale 2, 3 or 4" },
    };

    [Theory]
    [MemberData(nameof(BadParameters))]
    public async Task Bad_parameters_are_refused_by_name(string operation, string name, Value value, string message)
    {
        var request = Request(operation, Picture(operation));
        if (message.Contains("upscale needs"))
            request.Parameters.Fields["method"] = Value.ForString("upscale");
        request.Parameters.Fields[name] = value;

        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.RunJobAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains(message, e.Status.Detail);
    }
}
