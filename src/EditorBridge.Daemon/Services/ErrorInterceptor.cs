using EditorBridge.Daemon.Core;
using EditorBridge.Daemon.Models;
using EditorBridge.Daemon.Wire;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace EditorBridge.Daemon.Services;

/// <summary>
/// Maps refused requests to rich statuses (google.rpc.Status with BadRequest field violations)
/// so a client always learns which field was wrong. Anything unexpected becomes Internal with
/// a generic message and is logged; the daemon keeps serving.
/// </summary>
public sealed class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    public static RpcException ToRpcException(RequestException e)
    {
        var status = new Google.Rpc.Status { Code = (int)ErrorCodes.For(e.Error), Message = e.Message };
        if (!string.IsNullOrEmpty(e.Field))
        {
            var badRequest = new BadRequest();
            badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = e.Field, Description = e.Message });
            status.Details.Add(Google.Protobuf.WellKnownTypes.Any.Pack(badRequest));
        }

        return status.ToRpcException();
    }

    private RpcException Map(Exception e, ServerCallContext context) => e switch
    {
        RequestException request => ToRpcException(request),
        EditorBridge.ModelStore.ModelStoreException store => ToRpcException(ModelStoreErrors.ToRequestException(store, "name")),
        OperationCanceledException when context.CancellationToken.IsCancellationRequested && context.Deadline < DateTime.UtcNow =>
            new RpcException(new Grpc.Core.Status(StatusCode.DeadlineExceeded, "the call's deadline passed")),
        OperationCanceledException => new RpcException(new Grpc.Core.Status(StatusCode.Cancelled, "cancelled")),
        _ => Unexpected(e, context),
    };

    private RpcException Unexpected(Exception e, ServerCallContext context)
    {
        logger.LogError(e, "unexpected failure in {Method}", context.Method);
        return new RpcException(new Grpc.Core.Status(StatusCode.Internal, $"internal error in {context.Method}: {e.GetType().Name}; see the daemon log"));
    }
}
