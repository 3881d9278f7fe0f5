using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace EditorBridge.EndToEnd.Tests;

/// <summary>
/// Outpainting through the real daemon and the classic engine (GeometryOptions.outpaint): the layer
/// grows by exactly the selection past its edge, the new area is filled opaque from the picture, and
/// every unselected pixel comes back as it was (transparent where the canvas is new).
/// </summary>
public sealed class OutpaintTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const int Band = 48;
    private RunningDaemon daemon = null!;

    public async Task InitializeAsync() => daemon = await RunningDaemon.StartAsync(o => o.Limits.MaxSide = 512);

    public async Task DisposeAsync() => await daemon.DisposeAsync();

    [Theory]
    [InlineData("auto")]
    [InlineData("telea")]
    public async Task A_band_past_the_right_edge_is_filled_continuing_the_border_colours(string method)
    {
        var truth = TestPictures.Load("chelsea.png");
        var layer = truth.Crop(0, 0, truth.Width - Band, truth.Height);
        var request = WireRequests.Fill(layer, WireRequests.Rectangle(layer.Width, 0, Band, layer.Height), method);
        request.Geometry = new GeometryOptions { Outpaint = true };

        var result = await daemon.Client.RunJobAsync(request);

        // the grown selection's box: 4 pixels into the layer, to its new right edge exactly
        var r = result.Layer;
        Assert.Equal((layer.Width - 4, 0, Band + 4, layer.Height), (r.OffsetX, r.OffsetY, r.Width, r.Height));
        Assert.Equal(truth.Width, r.OffsetX + r.Width);
        var filled = new RgbaPicture(r.Width, r.Height, r.Data.ToByteArray());
        SaveForDocs($"outpaint-{method}.png", layer, filled, r.OffsetX);
        Assert.Equal(0, OutpaintCheck.NotOpaque(filled, 4, 0, Band, r.Height));
        double error = OutpaintCheck.RowMeanError(filled, 4, truth, layer.Width, 16);
        double flat = OutpaintCheck.FlatFillError(layer, truth, layer.Width, 16);
        output.WriteLine($"{method}: row-mean colour error of the first 16 new columns: outpainted {error:0.0} levels, flat mean colour {flat:0.0}");
        // Measured on chelsea: telea 10.7 levels, auto 24.6, the flat guard 29.4. Telea draws the border's colours
        // out as streaks; auto copies background texture from elsewhere in the picture (docs/classic-engine.md shows
        // both), so its row means follow the border less closely: its bound is only "better than flat".
        Assert.True(error < flat * (method == "telea" ? 0.6 : 0.95), $"outpainted {error:0.0} vs flat {flat:0.0}: the new area does not continue the border");
        Assert.True(result.Provenance.Geometry.Outpaint);
    }

    [Fact]
    public async Task Unselected_pixels_stay_and_the_new_unselected_canvas_is_transparent()
    {
        var layer = TestPictures.Load("coffee.png").Crop(0, 0, 160, 120);
        // a disc centred on the right edge: half on the layer, half past it
        const int R = 30, Cx = 160, Cy = 60;
        var coverage = new byte[(2 * R) * (2 * R)];
        for (int y = 0; y < 2 * R; y++)
            for (int x = 0; x < 2 * R; x++)
                coverage[y * 2 * R + x] = (x - R + 0.5) * (x - R + 0.5) + (y - R + 0.5) * (y - R + 0.5) <= R * R ? (byte)255 : (byte)0;
        var request = WireRequests.Fill(layer, new Mask { OffsetX = Cx - R, OffsetY = Cy - R, Width = 2 * R, Height = 2 * R, Coverage = ByteString.CopyFrom(coverage) }, "telea");
        request.Geometry = new GeometryOptions { Outpaint = true, GrowPixels = 2, FeatherPixels = 3 };

        var result = (await daemon.Client.RunJobAsync(request)).Layer;

        // grown by 2, except past the selection's own right edge: the layer grows to the selection's box, no further
        Assert.Equal((Cx - R - 2, Cy - R - 2, 2 * R + 2, 2 * R + 4), (result.OffsetX, result.OffsetY, result.Width, result.Height));
        var pixels = result.Data.ToByteArray();
        int unselectedOld = 0, unselectedNew = 0, selectedNew = 0;
        for (int y = 0; y < result.Height; y++)
            for (int x = 0; x < result.Width; x++)
            {
                int cx = result.OffsetX + x, cy = result.OffsetY + y;
                double dx = cx - Cx + 0.5, dy = cy - Cy + 0.5;
                bool grown = Math.Sqrt(dx * dx + dy * dy) <= R + 2 + 1; // the grown disc, with a pixel of slack
                var got = pixels.AsSpan((y * result.Width + x) * 4, 4);
                if (cx < layer.Width && !grown)
                {
                    Assert.True(got.SequenceEqual(layer.Rgba.AsSpan((cy * layer.Width + cx) * 4, 4)), $"unselected layer pixel {cx},{cy} changed");
                    unselectedOld++;
                }
                else if (cx >= layer.Width && !grown)
                {
                    Assert.True(got.SequenceEqual(new byte[4]), $"unselected new pixel {cx},{cy} is not transparent");
                    unselectedNew++;
                }
                else if (cx >= layer.Width && Math.Sqrt(dx * dx + dy * dy) < R - 1)
                {
                    Assert.Equal(255, got[3]);
                    selectedNew++;
                }
            }

        output.WriteLine($"checked {unselectedOld} unselected layer pixels, {unselectedNew} unselected new ones, {selectedNew} filled new ones");
        Assert.True(unselectedOld > 100 && unselectedNew > 100 && selectedNew > 1000);
    }

    public static TheoryData<string, StatusCode, string> Refusals => new()
    {
        { "without outpaint", StatusCode.InvalidArgument, "reach outside the layer 64x64@(0,0) (fill can outpaint: geometry.outpaint)" },
        { "far from the layer", StatusCode.InvalidArgument, "mask: selection 16x16@(100,0) neither overlaps nor touches the layer 64x64@(0,0)" },
        { "over the limits", StatusCode.ResourceExhausted, "mask: outpainting grows the layer 64x64@(0,0) to 80x564@(0,-500)" },
        { "not a fill", StatusCode.InvalidArgument, "geometry.outpaint: outpainting is for 'fill', not 'restore'" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Outpainting_requests_that_cannot_work_are_refused_precisely(string change, StatusCode code, string message)
    {
        var layer = TestPictures.Load("camera.png").Crop(0, 0, 64, 64);
        var request = WireRequests.Fill(layer, WireRequests.Rectangle(64, 0, 16, 16));
        request.Geometry = new GeometryOptions { Outpaint = true };
        switch (change)
        {
            case "without outpaint":
                request.Geometry = new GeometryOptions();
                break;
            case "far from the layer":
                request.Mask = WireRequests.Rectangle(100, 0, 16, 16);
                break;
            case "over the limits":
                request.Mask = WireRequests.Rectangle(64, -500, 16, 500); // touches the layer's corner
                break;
            case "not a fill":
                request.Operation = "restore";
                request.Parameters = new();
                break;
        }

        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.RunJobAsync(request));
        Assert.Equal(code, e.StatusCode);
        Assert.Contains(message, e.Status.Detail);
    }

    // The picture the docs show: the layer, then the outpainted band (written to $TMPDIR/editorbridge-outpaint/).
    private void SaveForDocs(string name, RgbaPicture layer, RgbaPicture filled, int at)
    {
        var canvas = new byte[(at + filled.Width) * layer.Height * 4];
        for (int y = 0; y < layer.Height; y++)
        {
            Buffer.BlockCopy(layer.Rgba, y * layer.Width * 4, canvas, y * (at + filled.Width) * 4, layer.Width * 4);
            Buffer.BlockCopy(filled.Rgba, y * filled.Width * 4, canvas, (y * (at + filled.Width) + at) * 4, filled.Width * 4);
        }

        var directory = Path.Combine(Path.GetTempPath(), "editorbridge-outpaint");
        Directory.CreateDirectory(directory);
        TestPictures.Save(Path.Combine(directory, name), at + filled.Width, layer.Height, canvas);
        output.WriteLine($"wrote {Path.Combine(directory, name)}");
    }
}
