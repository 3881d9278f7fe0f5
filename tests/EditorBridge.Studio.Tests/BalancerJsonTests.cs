namespace EditorBridge.Studio.Tests;

/// <summary>The Krita plugin's way through nginx: JSON, pixels uploaded as blobs first, then a RunJob naming them.</summary>
public sealed partial class BalancerTests
{
    [Fact]
    public async Task Blob_uploads_and_the_RunJob_naming_them_reach_the_same_backend()
    {
        // nginx hashes the JSON side on the client's token: a painter's uploads and jobs stay on one
        // daemon (blobs live in the daemon that took them). Balanced per call, 3 calls per job over
        // two backends landed together 1 time in 6.
        using var http = StudioJson.PinnedHttp(fixture.Balancer.Fingerprint);
        var outcomes = new List<string>();
        for (int n = 0; n < 6; n++)
            outcomes.Add(await StudioJson.FillOnBlobsAsync(http, fixture.Balancer.Url, studio.Alice));
        output.WriteLine($"JSON blob + RunJob through nginx, 6 jobs: {string.Join("; ", outcomes)}");
        Assert.All(outcomes, o => Assert.Equal("result", o));
    }
}
