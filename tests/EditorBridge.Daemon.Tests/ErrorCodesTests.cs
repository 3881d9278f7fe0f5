using EditorBridge.Daemon.Core;
using EditorBridge.Daemon.Wire;
using Grpc.Core;

namespace EditorBridge.Daemon.Tests;

public sealed class ErrorCodesTests
{
    [Fact]
    public void Every_daemon_error_has_its_own_status_code()
    {
        var codes = Enum.GetValues<DaemonError>().Select(ErrorCodes.For).ToList();

        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.DoesNotContain(StatusCode.OK, codes);
        Assert.DoesNotContain(StatusCode.Unknown, codes);
        Assert.Equal(StatusCode.InvalidArgument, ErrorCodes.For(DaemonError.Invalid));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErrorCodes.For((DaemonError)999));
    }
}
