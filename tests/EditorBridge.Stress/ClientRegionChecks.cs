using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EditorBridge.LocalState;

namespace EditorBridge.Stress;

/// <summary>
/// The client's half of the shared-memory promises (review F3): what a server answers is a claim,
/// not a path to trust. With a real region of the real daemon process, the .NET clients' rule
/// (<see cref="RegionFiles.OpenForMapping"/>) opens that region and refuses, leaving the file as it
/// was, a painter's file elsewhere, a region name reached with <c>..</c>, a link in the regions
/// folder, another name there, and the region itself at another size (it never grows a file).
/// </summary>
public static class ClientRegionChecks
{
    private const int Size = 64 * 1024;

    public static async Task<SecurityCheck> HoldAsync(DaemonProcess daemon)
    {
        const string promise = "clients map only their own region files: in their regions folder, named by the rule, not links, of the size named";
        if (!OperatingSystem.IsLinux())
            return new SecurityCheck(promise, true, "not checked (the owner check reads statx on Linux)");
        var folder = daemon.Paths.RegionsDirectory;
        var response = await daemon.Http.PostAsJsonAsync("/v1/regions", new { sizeBytes = Size });
        var made = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var (id, path) = ((string)made["regionId"]!, (string)made["path"]!);
        var victim = Path.Combine(daemon.Paths.StateDirectory, RegionFiles.NewName());
        var original = Enumerable.Range(0, Size).Select(i => (byte)(i * 7)).ToArray();
        await File.WriteAllBytesAsync(victim, original);
        var link = Path.Combine(folder, RegionFiles.NewName());
        File.CreateSymbolicLink(link, victim);
        var misnamed = Path.Combine(folder, "painting.raw");
        File.Copy(victim, misnamed);
        var problems = new List<string>();
        try
        {
            foreach (var (what, claim, size) in new[]
            {
                ("a file outside the regions folder", victim, (long)Size),
                ("a region name reached with ..", Path.Combine(folder, "..", Path.GetFileName(victim)), Size),
                ("a link in the regions folder", link, Size),
                ("another name in the regions folder", misnamed, Size),
                ("the region at twice its size", path, 2L * Size),
            })
            {
                try
                {
                    RegionFiles.OpenForMapping(folder, claim, size).Dispose();
                    problems.Add($"{what}: opened");
                }
                catch (IOException)
                {
                    // refused, as it must be
                }
            }

            RegionFiles.OpenForMapping(folder, path, Size).Dispose();
            if (!(await File.ReadAllBytesAsync(victim)).SequenceEqual(original) || new FileInfo(path).Length != Size)
                problems.Add("a refused file changed");
        }
        catch (IOException e)
        {
            problems.Add($"the daemon's own region was refused: {e.Message}");
        }
        finally
        {
            File.Delete(link);
            File.Delete(misnamed);
            File.Delete(victim);
            await daemon.Http.DeleteAsync($"/v1/regions/{id}");
        }

        return new SecurityCheck(promise, problems.Count == 0,
            problems.Count == 0 ? "the daemon's region opened; a file elsewhere, '..', a link, another name and a larger size refused, nothing changed" : string.Join("; ", problems));
    }
}
