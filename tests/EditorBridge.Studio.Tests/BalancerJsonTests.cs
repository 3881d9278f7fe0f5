using System.Net.Http.Headers;
using System.Text.Json;
using EditorBridge.Testing;

namespace EditorBridge.Studio.Tests;

/// <summary>The Krita plugin's way through the balancer: JSON, pixels uploaded as blobs first, then a RunJob naming them.</summary>
public sealed partial class BalancerTests
{
    [Fact]
    public async Task Blob_uploads_and_the_RunJob_naming_them_reach_the_same_backend()
    {
        // nginx hashes the JSON side on the client's token: a painter's uploads and jobs stay on one
        // daemon (blobs live in the daemon that took them). Balanced per call, 3 calls per job over
        // two backends land together about a quarter of the time.
        using var http = PinnedHttp();
        var picture = TestPictures.Load("astronaut.png").Crop(0, 0, 64, 64);
        var coverage = Enumerable.Repeat((byte)255, 16 * 16).ToArray();
        var outcomes = new List<string>();
        for (int n = 0; n < 6; n++)
        {
            string layer = await PutBlob(http, picture.Rgba), mask = await PutBlob(http, coverage);
            var job = JsonSerializer.Serialize(new
            {
                operation = "fill",
                seed = "1",
                clientLabel = "krita through nginx",
                layer = new { width = 64, height = 64, format = "PIXEL_FORMAT_RGBA8", blobId = layer },
                mask = new { width = 16, height = 16, offsetX = 20, offsetY = 20, blobId = mask },
                parameters = new { method = "telea" },
                releaseBlobs = true,
            });
            using var run = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Balancer.Url, "/v1/jobs")) { Content = new StringContent(job, System.Text.Encoding.UTF8, "application/json") };
            run.Headers.Authorization = new("Bearer", studio.Alice);
            using var answer = await http.SendAsync(run);
            var lines = (await answer.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            outcomes.Add(lines.Length > 0 && lines[^1].Contains("\"result\"", StringComparison.Ordinal) ? "result" : $"{answer.StatusCode} {lines.LastOrDefault()}");
        }

        output.WriteLine($"JSON blob + RunJob through nginx, 6 jobs: {string.Join("; ", outcomes)}");
        Assert.All(outcomes, o => Assert.Equal("result", o));
    }

    private async Task<string> PutBlob(HttpClient http, byte[] bytes)
    {
        using var put = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Balancer.Url, "/v1/blobs")) { Content = new ByteArrayContent(bytes) };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        put.Headers.Authorization = new("Bearer", studio.Alice);
        using var answer = await http.SendAsync(put);
        var body = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("blobId").GetString()!;
    }
}
