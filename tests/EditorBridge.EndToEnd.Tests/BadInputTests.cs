using EditorBridge.Protocol.V1;
using EditorBridge.Testing;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace EditorBridge.EndToEnd.Tests;

/// <summary>Every bad request gets a precise status naming the field, and the daemon keeps serving.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private RunningDaemon daemon = null!;

    public async Task InitializeAsync() => daemon = await RunningDaemon.StartAsync(o =>
    {
        o.Limits.MaxSide = 4096;
        o.Limits.MaxPixels = 2048 * 2048;
    });

    public async Task DisposeAsync() => await daemon.DisposeAsync();

    private static JobRequest Valid()
    {
        var picture = TestPictures.Load("camera.png").Crop(0, 0, 32, 32);
        return WireRequests.Fill(picture, WireRequests.Rectangle(8, 8, 8, 8));
    }

    public static TheoryData<string, StatusCode, string> Cases => new()
    {
        { "byte count", StatusCode.InvalidArgument, "layer.data: 4095 bytes, expected 4096" },
        { "zero width", StatusCode.InvalidArgument, "layer.width" },
        { "negative height", StatusCode.InvalidArgument, "layer.height" },
        { "oversized side", StatusCode.ResourceExhausted, "layer.width: 5000 pixels is over the limit of 4096" },
        { "too many pixels", StatusCode.ResourceExhausted, "over the limit of 4194304" },
        { "no layer", StatusCode.InvalidArgument, "layer: missing" },
        { "no pixels", StatusCode.InvalidArgument, "layer.data: missing" },
        { "unspecified format", StatusCode.InvalidArgument, "layer.format: missing" },
        { "unknown format", StatusCode.InvalidArgument, "layer.format: unknown format 99" },
        { "mask outside layer", StatusCode.InvalidArgument, "mask: bounds" },
        { "mask offset outside", StatusCode.InvalidArgument, "reach outside the layer" },
        { "mask byte count", StatusCode.InvalidArgument, "mask.coverage: 63 bytes, expected 64" },
        { "empty selection", StatusCode.InvalidArgument, "mask: the selection is empty" },
        { "no mask for fill", StatusCode.InvalidArgument, "mask: 'fill' needs a selection" },
        { "unknown operation", StatusCode.InvalidArgument, "operation: unknown operation 'teleport'" },
        { "missing operation", StatusCode.InvalidArgument, "operation: missing" },
        { "operation nobody offers", StatusCode.FailedPrecondition, "operation: no installed engine offers 'generate'" },
        { "unknown engine", StatusCode.NotFound, "engine: 'turbo' is not installed" },
        { "NaN parameter", StatusCode.InvalidArgument, "parameters.radius: NaN is not a finite number" },
        { "out of range parameter", StatusCode.InvalidArgument, "parameters.radius: 500 is outside 1..50" },
        { "unknown parameter", StatusCode.InvalidArgument, "parameters.strength: unknown parameter" },
        { "huge prompt", StatusCode.InvalidArgument, "prompt: 100000 characters, limit 4096" },
        { "bad geometry", StatusCode.InvalidArgument, "geometry.grow_pixels: 1000 is outside 0..256" },
        { "NaN geometry", StatusCode.InvalidArgument, "geometry.context_margin_percent: NaN" },
        { "unknown delivery", StatusCode.InvalidArgument, "result_delivery: unknown value 7" },
        { "unknown blob", StatusCode.NotFound, "layer.blob_id: no blob 'blob-nope'" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_job_requests_are_refused_precisely(string change, StatusCode code, string message)
    {
        var request = Valid();
        Break(request, change);

        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.RunJobAsync(request));

        Assert.Equal(code, e.StatusCode);
        Assert.Contains(message, e.Status.Detail);
        Assert.NotEmpty((await daemon.Client.GetInfoAsync()).Engines);
    }

    [Fact]
    public async Task A_hole_too_large_for_fsr_is_refused_with_a_pointer()
    {
        var picture = TestPictures.Load("camera.png");
        var request = WireRequests.Fill(picture, WireRequests.Rectangle(100, 100, 200, 200), "fsr");
        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.RunJobAsync(request));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("parameters.method: fsr is for holes up to 16384 pixels", e.Status.Detail);
    }

    [Fact]
    public async Task Field_violations_travel_as_rich_status_details()
    {
        var request = Valid();
        Break(request, "byte count");
        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.RunJobAsync(request));
        var status = e.GetRpcStatus();
        Assert.NotNull(status);
        var violation = Assert.Single(status.GetDetail<Google.Rpc.BadRequest>().FieldViolations);
        Assert.Equal("layer.data", violation.Field);
    }

    [Fact]
    public async Task Truncated_and_random_messages_are_invalid_arguments()
    {
        using var channel = RawCalls.Channel(daemon.Host.Discovery.GrpcPort);
        var auth = new Metadata { { "authorization", "Bearer " + daemon.Token } };
        var bytes = Valid().ToByteArray();
        var random = new byte[300];
        new Random(1).NextBytes(random);

        foreach (var body in new[] { bytes[..(bytes.Length / 2)], random, [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F] })
        {
            var e = await RawCalls.RunJobFailsAsync(channel.CreateCallInvoker(), body, auth);
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            Assert.Contains("RunJob message could not be read", e.Status.Detail);
        }

        Assert.NotEmpty((await daemon.Client.GetInfoAsync()).Engines);
    }

    [Fact]
    public async Task Missing_and_wrong_tokens_are_unauthenticated()
    {
        using var channel = RawCalls.Channel(daemon.Host.Discovery.GrpcPort);
        var client = new Protocol.V1.EditorBridge.EditorBridgeClient(channel);
        var none = await Assert.ThrowsAsync<RpcException>(async () => await client.GetInfoAsync(new GetInfoRequest()));
        var wrong = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.GetInfoAsync(new GetInfoRequest(), new Metadata { { "authorization", "Bearer " + new string('0', 64) } }));
        Assert.Equal((StatusCode.Unauthenticated, StatusCode.Unauthenticated), (none.StatusCode, wrong.StatusCode));
        Assert.Contains("authorization: missing", none.Status.Detail);
        Assert.Contains("wrong token", wrong.Status.Detail);
    }

    [Fact]
    public async Task A_foreign_host_is_refused_on_the_grpc_side_too()
    {
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{daemon.Host.Discovery.GrpcPort}/editorbridge.v1.EditorBridge/GetInfo")
        {
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new("application/grpc");
        request.Headers.Host = "rebind.example";
        request.Headers.Authorization = new("Bearer", daemon.Token);
        using var response = await http.SendAsync(request);
        Assert.True(response.Headers.TryGetValues("grpc-status", out var status), $"{response.StatusCode} {response.Version} {response.Headers} {response.TrailingHeaders}");
        Assert.Equal("7", status.Single());
    }

    [Fact]
    public async Task Cancelling_an_unknown_job_is_not_found()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => daemon.Client.CancelJobAsync("job-doesnotexist"));
        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Contains("job_id: no job 'job-doesnotexist'", e.Status.Detail);
    }

    private static void Break(JobRequest r, string change)
    {
        switch (change)
        {
            case "byte count": r.Layer.Data = ByteString.CopyFrom(r.Layer.Data.Span[..^1]); break;
            case "zero width": r.Layer.Width = 0; break;
            case "negative height": r.Layer.Height = -3; break;
            case "oversized side": r.Layer.Width = 5000; break;
            case "too many pixels": r.Layer.Width = 4000; r.Layer.Height = 4000; break;
            case "no layer": r.Layer = null; break;
            case "no pixels": r.Layer.ClearPixels(); break;
            case "unspecified format": r.Layer.Format = PixelFormat.Unspecified; break;
            case "unknown format": r.Layer.Format = (PixelFormat)99; break;
            case "mask outside layer": r.Mask = WireRequests.Rectangle(30, 30, 8, 8); break;
            case "mask offset outside": r.Mask.OffsetX = -1; break;
            case "mask byte count": r.Mask.Coverage = ByteString.CopyFrom(r.Mask.Coverage.Span[1..]); break;
            case "empty selection": r.Mask = WireRequests.Rectangle(8, 8, 8, 8, coverage: 0); break;
            case "no mask for fill": r.Mask = null; break;
            case "unknown operation": r.Operation = "teleport"; break;
            case "missing operation": r.Operation = ""; break;
            case "operation nobody offers": r.Operation = "generate"; break;
            case "unknown engine": r.Engine = "turbo"; break;
            case "NaN parameter": r.Parameters.Fields["radius"] = Value.ForNumber(double.NaN); break;
            case "out of range parameter": r.Parameters.Fields["radius"] = Value.ForNumber(500); break;
            case "unknown parameter": r.Parameters.Fields["strength"] = Value.ForNumber(1); break;
            case "huge prompt": r.Prompt = new string('a', 100_000); break;
            case "bad geometry": r.Geometry = new GeometryOptions { GrowPixels = 1000 }; break;
            case "NaN geometry": r.Geometry = new GeometryOptions { ContextMarginPercent = double.NaN }; break;
            case "unknown delivery": r.ResultDelivery = (ResultDelivery)7; break;
            case "unknown blob": r.Layer.BlobId = "blob-nope"; break;
            default: throw new ArgumentOutOfRangeException(nameof(change), change, null);
        }
    }
}
