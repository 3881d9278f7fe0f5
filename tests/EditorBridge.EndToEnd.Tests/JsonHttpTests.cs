using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EditorBridge.Testing;

namespace EditorBridge.EndToEnd.Tests;

/// <summary>The JSON/HTTP side, driven with a plain HttpClient as the Krita bridge does: raw bytes, never base64.</summary>
public sealed class JsonHttpTests : IAsyncLifetime
{
    private RunningDaemon daemon = null!;

    public async Task InitializeAsync() => daemon = await RunningDaemon.StartAsync(o => o.Limits.MaxRequestBytes = 4 << 20);

    public async Task DisposeAsync() => await daemon.DisposeAsync();

    [Fact]
    public async Task Info_lists_the_classic_engine_and_its_fill_parameters()
    {
        var info = JsonNode.Parse(await daemon.Http.GetStringAsync("/v1/info"))!;
        var classic = info["engines"]!.AsArray().Single(e => (string)e!["name"]! == "classic")!;
        var fill = classic["operations"]!.AsArray().Single(o => (string)o!["name"]! == "fill")!;
        var method = fill["parameters"]!.AsArray().Single(p => (string)p!["name"]! == "method")!;
        Assert.Equal("auto", (string)method["defaultValue"]!);
        Assert.Contains("exemplar", method["choices"]!.AsArray().Select(c => (string)c!));
        Assert.Equal((4 << 20).ToString(), (string)info["limits"]!["maxRequestBytes"]!);
    }

    [Fact]
    public async Task A_fill_through_blobs_returns_raw_result_bytes_and_keeps_unselected_pixels()
    {
        var picture = TestPictures.Load("chelsea.png").Crop(100, 50, 200, 160);
        var layerId = await PutBlobAsync(picture.Rgba);
        var coverage = new byte[40 * 30];
        Array.Fill(coverage, (byte)255);
        coverage[0] = 0;
        var maskId = await PutBlobAsync(coverage);
        var job = new JsonObject
        {
            ["operation"] = "fill",
            ["layer"] = new JsonObject { ["width"] = 200, ["height"] = 160, ["format"] = "PIXEL_FORMAT_RGBA8", ["offsetX"] = 10, ["offsetY"] = 20, ["blobId"] = layerId },
            ["mask"] = new JsonObject { ["width"] = 40, ["height"] = 30, ["offsetX"] = 90, ["offsetY"] = 80, ["blobId"] = maskId },
            ["parameters"] = new JsonObject { ["method"] = "telea" },
            ["geometry"] = new JsonObject { ["growPixels"] = 0 },
            ["seed"] = "7",
            ["resultDelivery"] = "RESULT_DELIVERY_BLOB",
        };

        var lines = await RunJobAsync(job);

        Assert.Contains(lines, l => l["started"] is not null);
        var layer = lines.Last()["result"]!["layer"]!;
        Assert.Null(layer["data"]);
        Assert.Equal((90, 80, 40, 30), ((int)layer["offsetX"]!, (int)layer["offsetY"]!, (int)layer["width"]!, (int)layer["height"]!));
        var bytes = await daemon.Http.GetByteArrayAsync($"/v1/blobs/{(string)layer["blobId"]!}");
        Assert.Equal(40 * 30 * 4, bytes.Length);
        var original = picture.Crop(80, 60, 40, 30).Rgba;
        Assert.True(bytes.AsSpan(0, 4).SequenceEqual(original.AsSpan(0, 4)), "the unselected corner pixel changed");
        Assert.False(bytes.AsSpan().SequenceEqual(original), "nothing was filled");
        Assert.Equal("7", (string)lines.Last()["result"]!["provenance"]!["seed"]!);
    }

    [Fact]
    public async Task Requests_without_the_token_or_from_foreign_hosts_and_pages_are_refused()
    {
        using var anonymous = new HttpClient { BaseAddress = daemon.Http.BaseAddress };
        await AssertRefusedAsync(await anonymous.GetAsync("/v1/info"), HttpStatusCode.Unauthorized, 16, "authorization: missing");

        var rebinding = new HttpRequestMessage(HttpMethod.Get, "/v1/info");
        rebinding.Headers.Host = "attacker.example";
        await AssertRefusedAsync(await daemon.Http.SendAsync(rebinding), HttpStatusCode.Forbidden, 7, "Host: 'attacker.example'");

        foreach (var origin in new[] { "https://attacker.example", "null" })
        {
            var page = new HttpRequestMessage(HttpMethod.Get, "/v1/info");
            page.Headers.Add("Origin", origin);
            await AssertRefusedAsync(await daemon.Http.SendAsync(page), HttpStatusCode.Forbidden, 7, "Origin:");
        }

        var local = new HttpRequestMessage(HttpMethod.Get, "/v1/info");
        local.Headers.Add("Origin", $"http://localhost:{daemon.Host.Discovery.HttpPort}");
        Assert.Equal(HttpStatusCode.OK, (await daemon.Http.SendAsync(local)).StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_before_it_is_read()
    {
        var content = new ByteArrayContent(new byte[(4 << 20) + 1]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        // With "Expect: 100-continue" the client learns of the refusal before it uploads a byte;
        // without it, the daemon still answers 413 at once but the client may see the upload cut.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/blobs") { Content = content };
        request.Headers.ExpectContinue = true;
        var response = await daemon.Http.SendAsync(request);
        await AssertRefusedAsync(response, HttpStatusCode.RequestEntityTooLarge, 8, "over the limit of 4194304 bytes");
    }

    [Fact]
    public async Task Bad_jobs_get_the_transcoded_status_and_field()
    {
        var layerId = await PutBlobAsync(new byte[16 * 16 * 4]);
        var job = new JsonObject
        {
            ["operation"] = "fill",
            ["layer"] = new JsonObject { ["width"] = 17, ["height"] = 16, ["format"] = "PIXEL_FORMAT_RGBA8", ["blobId"] = layerId },
            ["mask"] = new JsonObject { ["width"] = 1, ["height"] = 1, ["coverage"] = "/w==" },
        };
        var response = await daemon.Http.PostAsync("/v1/jobs", new StringContent(job.ToJsonString(), Encoding.UTF8, "application/json"));
        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, 3, "layer.blob_id: 1024 bytes, expected 1088");
        var missing = await daemon.Http.GetAsync("/v1/blobs/blob-000");
        await AssertRefusedAsync(missing, HttpStatusCode.NotFound, 5, "blob_id: no blob 'blob-000'");
    }

    private async Task<string> PutBlobAsync(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var response = await daemon.Http.PostAsync("/v1/blobs", content);
        response.EnsureSuccessStatusCode();
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(bytes.Length.ToString(), (string)body["sizeBytes"]!);
        return (string)body["blobId"]!;
    }

    private async Task<List<JsonNode>> RunJobAsync(JsonObject job)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/jobs") { Content = new StringContent(job.ToJsonString(), Encoding.UTF8, "application/json") };
        using var response = await daemon.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var lines = new List<JsonNode>();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
                continue;
            var node = JsonNode.Parse(line)!;
            Assert.True(node["code"] is null, $"the job failed: {line}");
            lines.Add(node);
        }

        return lines;
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode http, int code, string message)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(http == response.StatusCode, $"expected {http}, got {response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        Assert.Equal(code, json.RootElement.GetProperty("code").GetInt32());
        Assert.Contains(message, json.RootElement.GetProperty("message").GetString());
    }
}
