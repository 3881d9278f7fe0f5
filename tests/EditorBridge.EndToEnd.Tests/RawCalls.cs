using Grpc.Core;
using Grpc.Net.Client;

namespace EditorBridge.EndToEnd.Tests;

/// <summary>gRPC calls with hand-made bytes and headers: what a broken or hostile client sends.</summary>
internal static class RawCalls
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    public static Method<byte[], byte[]> Unary(string name) => new(MethodType.Unary, "editorbridge.v1.EditorBridge", name, Bytes, Bytes);

    public static Method<byte[], byte[]> ServerStreaming(string name) => new(MethodType.ServerStreaming, "editorbridge.v1.EditorBridge", name, Bytes, Bytes);

    public static GrpcChannel Channel(int port) => GrpcChannel.ForAddress($"http://127.0.0.1:{port}", new GrpcChannelOptions { MaxSendMessageSize = null, MaxReceiveMessageSize = null });

    public static async Task<RpcException> RunJobFailsAsync(CallInvoker invoker, byte[] request, Metadata? headers = null)
    {
        using var call = invoker.AsyncServerStreamingCall(ServerStreaming("RunJob"), null, new CallOptions(headers, DateTime.UtcNow.AddSeconds(30)), request);
        return await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        });
    }
}
