using System.Net.Http.Headers;
using System.Text.Json;
using EditorBridge.Testing;

namespace EditorBridge.Studio.Tests;

/// <summary>The Krita plugin's calls through a balancer: JSON over TLS (pinned), pixels uploaded as blobs, then a RunJob naming them.</summary>
internal static class StudioJson
{
    private static readonly RgbaPicture Picture = TestPictures.Load("astronaut.png").Crop(0, 0, 64, 64);

    public static HttpClient PinnedHttp(string fingerprint) => new(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && LocalState.CertificatePin.Of(c) == fingerprint },
    });

    /// <summary>Uploads layer and mask, runs a fill naming both; "result" when the job's last line is its result, else what came back.</summary>
    public static async Task<string> FillOnBlobsAsync(HttpClient http, Uri balancer, string token)
    {
        string layer = await PutBlobAsync(http, balancer, token, Picture.Rgba), mask = await PutBlobAsync(http, balancer, token, Enumerable.Repeat((byte)255, 16 * 16).ToArray());
        var job = JsonSerializer.Serialize(new
        {
            operation = "fill",
            seed = "1",
            clientLabel = "krita through the balancer",
            layer = new { width = 64, height = 64, format = "PIXEL_FORMAT_RGBA8", blobId = layer },
            mask = new { width = 16, height = 16, offsetX = 20, offsetY = 20, blobId = mask },
            parameters = new { method = "telea" },
            releaseBlobs = true,
        });
        using var run = new HttpRequestMessage(HttpMethod.Post, new Uri(balancer, "/v1/jobs")) { Content = new StringContent(job, System.Text.Encoding.UTF8, "application/json") };
        run.Headers.Authorization = new("Bearer", token);
        using var answer = await http.SendAsync(run);
        var lines = (await answer.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length > 0 && lines[^1].Contains("\"result\"", StringComparison.Ordinal) ? "result" : $"{answer.StatusCode} {lines.LastOrDefault()}";
    }

    /// <summary>Krita's Cancel: POST /v1/jobs/ID/cancel; the HTTP status and body.</summary>
    public static async Task<(bool Ok, string Body)> CancelAsync(HttpClient http, Uri balancer, string token, string jobId)
    {
        using var cancel = new HttpRequestMessage(HttpMethod.Post, new Uri(balancer, $"/v1/jobs/{jobId}/cancel")) { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        cancel.Headers.Authorization = new("Bearer", token);
        using var answer = await http.SendAsync(cancel);
        return (answer.IsSuccessStatusCode, $"{answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
    }

    private static async Task<string> PutBlobAsync(HttpClient http, Uri balancer, string token, byte[] bytes)
    {
        using var put = new HttpRequestMessage(HttpMethod.Post, new Uri(balancer, "/v1/blobs")) { Content = new ByteArrayContent(bytes) };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        put.Headers.Authorization = new("Bearer", token);
        using var answer = await http.SendAsync(put);
        var body = await answer.Content.ReadAsStringAsync();
        if (!answer.IsSuccessStatusCode)
            throw new HttpRequestException($"POST /v1/blobs: {answer.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("blobId").GetString()!;
    }
}
