using Grpc.Core;

namespace EditorBridge.Stress;

/// <summary>
/// What the daemon answered to one request: a gRPC status (also the code of a JSON error body),
/// or for answers below that level the HTTP status alone, or that the connection was closed.
/// </summary>
public sealed record Observed(string Kind, StatusCode? Code, int HttpStatus, string Message, TimeSpan Elapsed)
{
    /// <summary>A job's result or a call's answer, when it succeeded (for the pixel checks).</summary>
    public object? Answer { get; init; }

    public static Observed Status(StatusCode code, string message, TimeSpan elapsed, int httpStatus = 200) =>
        new(code.ToString(), code, httpStatus, message, elapsed);

    public static Observed Ok(TimeSpan elapsed, object? answer = null, int httpStatus = 200) =>
        new("OK", StatusCode.OK, httpStatus, "", elapsed) { Answer = answer };

    /// <summary>An HTTP answer with no gRPC status (Kestrel's own refusals, unknown routes).</summary>
    public static Observed Http(int status, string body, TimeSpan elapsed) =>
        new($"HTTP {status}", null, status, body, elapsed);

    public static Observed Closed(string why, TimeSpan elapsed) =>
        new("connection closed", null, 0, why, elapsed);

    public override string ToString() => Code is { } c && Kind != "OK" ? $"{c} \"{Shorten(Message)}\"" : Kind == "OK" ? "OK" : $"{Kind} {Shorten(Message)}";

    public static string Shorten(string s, int max = 160) => s.Length <= max ? s : s[..max] + "…";
}
