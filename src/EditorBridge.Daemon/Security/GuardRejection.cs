using Grpc.Core;

namespace EditorBridge.Daemon.Security;

/// <summary>Why a request was refused before it reached an endpoint.</summary>
public sealed record GuardRejection(StatusCode Code, int HttpStatus, string Message);
