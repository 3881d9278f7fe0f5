using EditorBridge.Daemon.Security;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace EditorBridge.Daemon.Tests;

public sealed class RequestGuardTests
{
    [Theory]
    [InlineData("127.0.0.1:5000")]
    [InlineData("localhost:5000")]
    [InlineData("LOCALHOST")]
    [InlineData("[::1]:5000")]
    public void Loopback_hosts_pass(string host) => Assert.Null(LoopbackHost.Check(Request(host: host)));

    [Theory]
    [InlineData("evil.example:5000")]
    [InlineData("127.0.0.1.evil.example")]
    [InlineData("192.168.1.5:5000")]
    [InlineData("localhost.evil.example")]
    [InlineData("xn--abc")] // HttpRequest.Host throws decoding this: the guard must read the raw header
    [InlineData("xn--c3a5eab5adc3b8ed959c:80")]
    public void Foreign_hosts_are_refused_with_permission_denied(string host)
    {
        var rejection = LoopbackHost.Check(Request(host: host));
        Assert.NotNull(rejection);
        Assert.Equal(StatusCode.PermissionDenied, rejection.Code);
        Assert.StartsWith("Host:", rejection.Message);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("http://127.0.0.1:8000", true)]
    [InlineData("http://localhost", true)]
    [InlineData("https://[::1]:3000", true)]
    [InlineData("null", false)]
    [InlineData("http://evil.example", false)]
    [InlineData("http://localhost.evil.example", false)]
    [InlineData("file://", false)]
    [InlineData("chrome-extension://abc", false)]
    public void Only_loopback_origins_or_none_pass(string? origin, bool allowed)
    {
        var rejection = OriginPolicy.Check(Request(origin: origin));
        Assert.Equal(allowed, rejection is null);
        if (!allowed)
            Assert.StartsWith("Origin:", rejection!.Message);
    }

    [Theory]
    [InlineData(null, "missing")]
    [InlineData("Basic abc", "expected 'Bearer")]
    [InlineData("Bearer wrong", "wrong token")]
    [InlineData("Bearer ", "wrong token")]
    public void Missing_or_wrong_tokens_are_unauthenticated(string? header, string why)
    {
        var rejection = new BearerToken(new string('a', 64)).Check(Request(authorization: header));
        Assert.NotNull(rejection);
        Assert.Equal(StatusCode.Unauthenticated, rejection.Code);
        Assert.Equal(401, rejection.HttpStatus);
        Assert.Contains(why, rejection.Message);
    }

    [Fact]
    public void The_right_token_passes() =>
        Assert.Null(new BearerToken(new string('a', 64)).Check(Request(authorization: "Bearer " + new string('a', 64))));

    private static HttpRequest Request(string host = "127.0.0.1", string? origin = null, string? authorization = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Host = host;
        if (origin is not null)
            context.Request.Headers.Origin = origin;
        if (authorization is not null)
            context.Request.Headers.Authorization = authorization;
        return context.Request;
    }
}
