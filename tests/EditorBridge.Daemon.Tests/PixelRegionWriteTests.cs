using EditorBridge.Daemon.Blobs;
using EditorBridge.Daemon.Core;
using EditorBridge.Daemon.Jobs;
using EditorBridge.Imaging;
using EditorBridge.Testing;
using Microsoft.Extensions.Options;

namespace EditorBridge.Daemon.Tests;

/// <summary>
/// A result written straight into a pixel region's mapping (an unscaled whole-layer answer, widened
/// there from the daemon's snapshot): it lands at the slice's place, is checked against the slice and
/// the region first like a copied result, and never runs for a region that is gone. Its preview is
/// the one the composed layer would have had.
/// </summary>
public sealed class PixelRegionWriteTests : IDisposable
{
    private readonly TempDirectory folder = new("ebregionwrite");
    private readonly PixelRegions regions;

    public PixelRegionWriteTests()
    {
        var options = new DaemonOptions();
        regions = new PixelRegions(options, TimeProvider.System, new BlobStore(Options.Create(options), TimeProvider.System), folder.Path);
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_writer_fills_the_slices_bytes_in_the_mapping_and_nothing_else()
    {
        var made = regions.Create(4096, "c1");
        var slice = new RegionSlice(made.Id, 1000, 2000);

        Assert.True(regions.TryWrite(slice, 100, 300, (byte)7, static (target, value) => target.Fill(value)));

        var all = regions.Read(new RegionSlice(made.Id, 0, 4096), "layer");
        Assert.All(all[..1100], b => Assert.Equal(0, b));
        Assert.All(all[1100..1400], b => Assert.Equal(7, b));
        Assert.All(all[1400..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void A_writer_that_would_not_fit_or_whose_region_is_gone_does_not_run()
    {
        var made = regions.Create(4096, "c1");
        int runs = 0;
        bool Write(RegionSlice slice, long at, long length) => regions.TryWrite(slice, at, length, 0, (_, _) => runs++);

        Assert.False(Write(new RegionSlice(made.Id, 1000, 2000), 100, 1901)); // past the slice
        Assert.False(Write(new RegionSlice(made.Id, 1000, 2000), -1, 10));
        Assert.False(Write(new RegionSlice(made.Id, 3000, 2000), 0, 10)); // a slice past the region
        Assert.False(Write(new RegionSlice("rgn-" + new string('0', 24), 0, 4096), 0, 10));
        Assert.Equal(0, runs);
        Assert.True(Write(new RegionSlice(made.Id, 1000, 2000), 100, 1900));
        Assert.Equal(1, runs);

        Assert.True(regions.Release(made.Id));
        Assert.False(Write(new RegionSlice(made.Id, 0, 4096), 0, 10));
        Assert.Equal(1, runs);
    }

    [Theory]
    [InlineData(1100, 300)] // a preview that samples the layer's own pixels
    [InlineData(300, 200)] // one that resamples
    public void The_preview_of_a_sixteen_bit_result_is_the_preview_of_the_engines_eight_bit_answer(int width, int height)
    {
        var bounds = new PixelRect(5, -9, width, height);
        var original = new byte[bounds.Area * 8];
        new Random(width).NextBytes(original);
        var answer = new Raster(bounds, PixelFormat.Rgba16, original).ToRgba8();
        for (int i = 0; i < answer.Length; i += 7)
            answer[i] ^= 0x21;
        var result = Raster.FromRgba8(bounds, answer, new Raster(bounds, PixelFormat.Rgba16, original));

        var fromResult = Previews.Of(result);
        var fromAnswer = Previews.Of(new Raster(bounds, PixelFormat.Rgba8, answer));

        Assert.Equal(fromResult.Bounds, fromAnswer.Bounds);
        Assert.Equal(fromResult.Data, fromAnswer.Data);
    }
}
