using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using EditorBridge.Daemon.Blobs;
using EditorBridge.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EditorBridge.EndToEnd.Tests;

/// <summary>
/// Blobs are freed when they have served: a delivered result by its fetch, the blobs a request names
/// when its job ends if it says <c>releaseBlobs</c>. The store's budget here holds three layers, so
/// without that the third round trip was refused ("blob store is full"); the time limit is a backstop.
/// </summary>
public sealed class BlobLifetimeTests : IAsyncLifetime
{
    private const int Side = 1024; // 4 MiB RGBA8 layers
    private const long LayerBytes = Side * Side * 4L;
    private RunningDaemon daemon = null!;

    public async Task InitializeAsync() => daemon = await RunningDaemon.StartAsync(o =>
    {
        o.Limits.MaxRequestBytes = LayerBytes + (1 << 20);
        o.Limits.BlobBudgetBytes = 3 * LayerBytes;
    }, [TestEngines.Echo()]);

    public async Task DisposeAsync() => await daemon.DisposeAsync();

    private BlobStore Store => daemon.Host.Services.GetRequiredService<BlobStore>();

    [Fact]
    public async Task Thirty_round_trips_of_a_large_layer_through_the_json_side_are_not_refused()
    {
        var layer = new byte[LayerBytes];
        for (int round = 0; round < 30; round++)
        {
            Random.Shared.NextBytes(layer.AsSpan(0, 4096));
            var result = await RoundTripAsync(layer, release: true);
            Assert.True(result.AsSpan().SequenceEqual(layer), $"round trip {round + 1} changed the layer");
        }

        Assert.Equal(0, Store.UsedBytes);
    }

    [Fact]
    public async Task A_result_is_freed_by_its_fetch_and_a_layer_without_releaseBlobs_stays_for_reuse()
    {
        var layer = new byte[LayerBytes];
        var layerId = await PutAsync(layer);
        var first = await RunAsync(layerId, release: false);
        var second = await RunAsync(layerId, release: false);

        await daemon.Http.GetByteArrayAsync($"/v1/blobs/{first}");
        var again = await daemon.Http.GetAsync($"/v1/blobs/{first}");

        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(2 * LayerBytes, Store.UsedBytes); // the layer, and the second result not yet fetched
        await daemon.Http.GetByteArrayAsync($"/v1/blobs/{second}");
        Assert.Equal(LayerBytes, Store.UsedBytes);
    }

    [Fact]
    public async Task A_refused_request_with_releaseBlobs_frees_its_layer_too()
    {
        var layerId = await PutAsync(new byte[LayerBytes]);
        var job = Job(layerId, release: true);
        job["parameters"] = new JsonObject { ["level"] = 99 };

        var response = await daemon.Http.PostAsync("/v1/jobs", new StringContent(job.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, Store.UsedBytes);
    }

    private async Task<byte[]> RoundTripAsync(byte[] layer, bool release) =>
        await daemon.Http.GetByteArrayAsync($"/v1/blobs/{await RunAsync(await PutAsync(layer), release)}");

    private async Task<string> PutAsync(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var response = await daemon.Http.PostAsync("/v1/blobs", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return (string)JsonNode.Parse(body)!["blobId"]!;
    }

    private static JsonObject Job(string layerId, bool release) => new()
    {
        ["operation"] = "noop",
        ["layer"] = new JsonObject { ["width"] = Side, ["height"] = Side, ["format"] = "PIXEL_FORMAT_RGBA8", ["blobId"] = layerId },
        ["resultDelivery"] = "RESULT_DELIVERY_BLOB",
        ["releaseBlobs"] = release,
    };

    /// <summary>Runs the echo job on an uploaded layer; returns the result's blob id.</summary>
    private async Task<string> RunAsync(string layerId, bool release)
    {
        var response = await daemon.Http.PostAsync("/v1/jobs", new StringContent(Job(layerId, release).ToJsonString(), Encoding.UTF8, "application/json"));
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var last = JsonNode.Parse(lines[^1])!;
        Assert.True(last["result"] is not null, lines[^1]);
        return (string)last["result"]!["layer"]!["blobId"]!;
    }
}
