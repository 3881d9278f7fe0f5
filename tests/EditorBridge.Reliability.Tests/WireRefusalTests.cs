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
}
