using EditorBridge.Daemon.Blobs;
using EditorBridge.Daemon.Core;
using EditorBridge.LocalState;
using EditorBridge.Testing;
using Microsoft.Extensions.Options;

namespace EditorBridge.Daemon.Tests;

/// <summary>
/// Pixel regions when something fails: a region that cannot be made gives its budget back and
/// leaves no file or mapping, whatever the error; a freed region's file that cannot be deleted yet
/// (Windows, while a client has it open) is deleted later, not left until the next start.
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

    [Fact]
    public void A_freed_regions_file_that_cannot_be_deleted_yet_is_deleted_at_the_next_call()
    {
        var made = regions.Create(4096, "c1");
        regions.DeleteFile = _ => throw new IOException("The process cannot access the file because it is being used by another process.");

        Assert.True(regions.Release(made.Id));

        Assert.True(File.Exists(made.Path));
        Assert.Equal(1, regions.Undeleted);
        Assert.Equal(0, budget.UsedBytes);
        regions.DeleteFile = File.Delete; // the client closed its mapping
        var next = regions.Create(4096, "c1");
        Assert.False(File.Exists(made.Path));
        Assert.Equal(0, regions.Undeleted);
        Assert.Equal([Path.GetFileName(next.Path)], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
        Assert.True(RegionFiles.IsName(Path.GetFileName(next.Path)));
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
