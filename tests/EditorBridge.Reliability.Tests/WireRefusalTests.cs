using EditorBridge.Stress;
using System.Text;
using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace EditorBridge.Reliability.Tests;

/// <summary>
/// The refusals the hostile generator found imprecise, one by one: gRPC's own framing errors
/// (answered INTERNAL before), JSON transcoding's "not correctly formatted" (no field), an
/// undecodable punycode Host (a 500), a huge parameter name (an unreadable status), a mask blob
/// called mask.coverage, and the classic engine's full selection (INTERNAL "ArgumentException").
/// </summary>
public sealed class WireRefusalTests : IAsyncLifetime
{
    private RunningDaemon daemon = null!;
    private HostileTarget target = null!;

    public async Task InitializeAsync()
    {
        daemon = await RunningDaemon.StartAsync(o => o.Limits.MaxRequestBytes = 8 << 20);
        target = new HostileTarget(daemon.Host.Discovery.GrpcPort, daemon.Host.Discovery.HttpPort, daemon.Token, await daemon.Client.GetInfoAsync(), daemon.Client);
    }

    public async Task DisposeAsync()
    {
        target.Dispose();
        await daemon.DisposeAsync();
    }

    private static JobRequest Valid() => WireRequests.Fill(TestPictures.Load("camera.png").Crop(0, 0, 32, 32), WireRequests.Rectangle(8, 8, 8, 8));

    [Theory]
    [InlineData("xn--abc")]
    [InlineData("xn--")]
    [InlineData("xn--c3a5eab5adc3b8ed959c:80")]
    public async Task An_undecodable_punycode_host_is_refused_not_a_crash(string host)
    {
        foreach (var observed in new[]
        {
            await target.JsonAsync(HttpMethod.Get, "/v1/info", null, null, new Dictionary<string, string?> { ["host"] = host }),
            await target.RawGrpcAsync("GetInfo", HostileTarget.Frame([]), new Dictionary<string, string?> { ["host"] = host }),
        })
        {
            Assert.Equal(StatusCode.PermissionDenied, observed.Code);
            Assert.StartsWith($"Host: '{host}' is not a loopback host", observed.Message);
        }
    }

    [Fact]
    public async Task A_huge_parameter_name_is_quoted_short_so_the_status_stays_readable()
    {
        var request = Valid();
        var name = string.Concat(Enumerable.Repeat("🎨", 5000));
        request.Parameters.Fields[name] = Value.ForNumber(1);

        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.RunJobAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith($"parameters.{string.Concat(Enumerable.Repeat("🎨", 20))}…: unknown parameter", e.Status.Detail);
    }

    public static TheoryData<string, string> Framing => new()
    {
        { "incomplete", "request: the RunJob request ended inside a gRPC frame" },
        { "two messages", "request: RunJob takes exactly one message" },
        { "compressed flag", "grpc-encoding: missing, yet the message is flagged as compressed" },
        { "content type", "content-type: 'application/json' is not gRPC" },
        { "no content type", "content-type: missing; a gRPC request must send content-type: application/grpc" },
    };

    [Theory]
    [MemberData(nameof(Framing))]
    public async Task Broken_grpc_framing_is_an_invalid_argument_naming_the_problem(string broken, string message)
    {
        var bytes = Valid().ToByteArray();
        var (body, headers) = broken switch
        {
            "incomplete" => (HostileTarget.Frame(bytes, declaredLength: (uint)bytes.Length + 10), null),
            "two messages" => ([.. HostileTarget.Frame(bytes), .. HostileTarget.Frame(bytes)], null),
            "compressed flag" => (HostileTarget.Frame(bytes, compressed: true), null),
            "no content type" => (HostileTarget.Frame(bytes), new Dictionary<string, string?> { ["content-type"] = null }),
            _ => (HostileTarget.Frame(bytes), new Dictionary<string, string?> { ["content-type"] = "application/json" }),
        };

        var observed = await target.RawGrpcAsync("RunJob", body, headers);

        Assert.Equal(StatusCode.InvalidArgument, observed.Code);
        Assert.StartsWith(message, observed.Message);
    }

    [Fact]
    public async Task An_unknown_method_is_unimplemented_and_named()
    {
        var observed = await target.RawGrpcAsync("Teleport", HostileTarget.Frame([]));
        Assert.Equal(StatusCode.Unimplemented, observed.Code);
        Assert.Contains("method: '/editorbridge.v1.EditorBridge/Teleport' is not served", observed.Message);
    }

    public static TheoryData<string, string> JsonBodies => new()
    {
        { "{\"operation\": \"fill\", \"layer\": {\"width\": \"abc\"}}", "layer.width: expected a whole number (int32), got the string \"abc\"" },
        { "{\"operation\": \"fill\", \"layer\": {\"offsetX\": 2147483648}}", "layer.offset_x: 2147483648 is outside the range of int32" },
        { "{\"layer\": {\"format\": \"PIXEL_FORMAT_CMYK\"}}", "layer.format: unknown value \"PIXEL_FORMAT_CMYK\"; one of: PIXEL_FORMAT_UNSPECIFIED" },
        { "{\"seed\": \"-1\"}", "seed: -1 is outside the range of uint64" },
        { "{\"layer\": {\"data\": \"AAAA\", \"blobId\": \"b\"}}", "layer: both data and blobId are set" },
        { "{\"mask\": {\"coverage\": \"!!!\"}}", "mask.coverage: not valid base64" },
        { "{\"parameters\": [1]}", "parameters: expected a JSON object, got an array" },
        { "[1]", "request body: expected a JSON object (JobRequest), got an array" },
        { "{\"operation\": \"fi", "request body: not valid JSON: " },
        { "", "request body: not valid JSON: " },
    };

    [Theory]
    [MemberData(nameof(JsonBodies))]
    public async Task Json_bodies_transcoding_cannot_read_are_refused_naming_the_field(string body, string message)
    {
        var observed = await target.JsonAsync(HttpMethod.Post, "/v1/jobs", Encoding.UTF8.GetBytes(body));

        Assert.Equal((StatusCode.InvalidArgument, 400), (observed.Code, observed.HttpStatus));
        Assert.StartsWith(message, observed.Message);
    }

    [Fact]
    public async Task A_valid_json_job_still_streams_its_events_line_by_line()
    {
        var observed = await target.JsonAsync(HttpMethod.Post, "/v1/jobs", Encoding.UTF8.GetBytes(Google.Protobuf.JsonFormatter.Default.Format(Valid())));
        Assert.Equal("OK", observed.Kind);
        Assert.NotNull(((System.Text.Json.Nodes.JsonNode)observed.Answer!)["result"]);
    }

    [Fact]
    public async Task A_mask_blob_of_the_wrong_size_is_called_mask_blob_id()
    {
        var request = Valid();
        var blob = await daemon.Client.Raw.PutBlobAsync(new PutBlobRequest { Content = new Google.Api.HttpBody { Data = ByteString.CopyFrom(new byte[63]) } });
        request.Mask.BlobId = blob.BlobId;

        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.RunJobAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("mask.blob_id: 63 bytes, expected 64", e.Status.Detail);
    }

    [Fact]
    public async Task Exemplar_fill_of_a_fully_selected_layer_is_refused_naming_the_mask()
    {
        var picture = TestPictures.Load("camera.png").Crop(0, 0, 16, 16);
        var request = WireRequests.Fill(picture, WireRequests.Rectangle(0, 0, 16, 16), "exemplar");

        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.RunJobAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("mask: the selection covers the whole layer", e.Status.Detail);
    }
}
