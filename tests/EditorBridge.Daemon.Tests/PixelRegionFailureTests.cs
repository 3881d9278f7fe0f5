using EditorBridge.Daemon.Blobs;
using EditorBridge.Daemon.Core;
using EditorBridge.Testing;
using Microsoft.Extensions.Options;

namespace EditorBridge.Daemon.Tests;

/// <summary>
/// Pixel regions when something fails: a region that cannot be made gives its budget back and
/// leaves no file or mapping, whatever the error.
/// </summary>
public sealed class PixelRegionFailureTests : IDisposable
{
    private const long Budget = 64 * 1024;
    private readonly TempDirectory folder = new("ebregions");
    private readonly BlobStore budget;
    private readonly PixelRegions regions;

    public PixelRegionFailureTests()
    {
        var options = new DaemonOptions();
        options.Limits.BlobBudgetBytes = Budget;
        budget = new BlobStore(Options.Create(options), TimeProvider.System);
        regions = new PixelRegions(options, TimeProvider.System, budget, folder.Path);
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Guard_a_region_refused_for_access_gives_its_budget_back_and_leaves_nothing()
    {
        // EACCES, as when the folder was made unwritable while the daemon runs: UnauthorizedAccessException, not IOException
        regions.AfterMapped = _ => throw new UnauthorizedAccessException("Access to the path is denied.");

        var refused = Assert.Throws<RequestException>(() => regions.Create(Budget, "c1"));

        Assert.Equal(DaemonError.Precondition, refused.Error);
        Assert.Contains("send the bytes", refused.Message);
        AssertNothingLeft();
    }

    [Fact]
    public void Guard_a_region_whose_mapping_fails_otherwise_gives_its_budget_back_and_leaves_nothing()
    {
        regions.AfterMapped = _ => throw new InvalidOperationException("no view of the mapping");

        Assert.Throws<InvalidOperationException>(() => regions.Create(Budget, "c1"));

        AssertNothingLeft();
    }

    private void AssertNothingLeft()
    {
        Assert.Equal(0, budget.UsedBytes);
        Assert.Equal(0, regions.Count);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
        if (OperatingSystem.IsLinux())
            Assert.DoesNotContain(File.ReadLines("/proc/self/maps"), l => l.Contains(folder.Path, StringComparison.Ordinal));
        regions.AfterMapped = null;
        var whole = regions.Create(Budget, "c1"); // the whole budget is there again
        Assert.True(regions.Release(whole.Id));
    }
}
