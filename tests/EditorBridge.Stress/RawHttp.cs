using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EditorBridge.Stress;

/// <summary>HTTP/1.1 by hand on a socket: for requests HttpClient will not send, and for slow ones.</summary>
public static class RawHttp
{
    public sealed record Answer(int Status, byte[] Body, string Head);

    /// <summary>
    /// Sends <paramref name="request"/>, reads the answer until it is complete or the daemon closes.
    /// <paramref name="endInput"/> closes the sending side afterwards: bytes that are not a whole
    /// request would otherwise (rightly) be waited on until the daemon's headers timeout.
    /// </summary>
    public static async Task<Answer> ExchangeAsync(int port, byte[] request, CancellationToken cancellationToken, bool endInput = false)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        try
        {
            await stream.WriteAsync(request, cancellationToken);
            if (endInput)
                socket.Shutdown(SocketShutdown.Send);
        }
        catch (IOException)
        {
            // the daemon may answer and close before it has read everything: read what it said
        }

        return await ReadAnswerAsync(stream, cancellationToken);
    }

    /// <summary>Reads one HTTP/1.1 answer (Content-Length, chunked, or until close).</summary>
    public static async Task<Answer> ReadAnswerAsync(Stream stream, CancellationToken cancellationToken)
    {
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int headEnd = -1;
        while (true)
        {
            int n;
            try
            {
                n = await stream.ReadAsync(buffer, cancellationToken);
            }
            catch (IOException)
            {
                n = 0;
            }

            if (n == 0)
                break;
            received.Write(buffer, 0, n);
            var data = received.GetBuffer().AsSpan(0, (int)received.Length);
            if (headEnd < 0)
                headEnd = data.IndexOf("\r\n\r\n"u8);
            if (headEnd >= 0 && IsComplete(data, headEnd))
                break;
        }

        var all = received.ToArray();
        if (headEnd < 0 || !all.AsSpan().StartsWith("HTTP/1."u8))
            return new Answer(0, all, "");
        var head = Encoding.ASCII.GetString(all, 0, headEnd);
        int status = int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var body = all[(headEnd + 4)..];
        if (head.Contains("transfer-encoding: chunked", StringComparison.OrdinalIgnoreCase))
            body = Dechunk(body);
        return new Answer(status, body, head);
    }

    private static bool IsComplete(ReadOnlySpan<byte> data, int headEnd)
    {
        var head = Encoding.ASCII.GetString(data[..headEnd]);
        var body = data[(headEnd + 4)..];
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("content-length:", StringComparison.OrdinalIgnoreCase))
                return body.Length >= long.Parse(line["content-length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            if (line.StartsWith("transfer-encoding:", StringComparison.OrdinalIgnoreCase) && line.Contains("chunked", StringComparison.OrdinalIgnoreCase))
                return body.IndexOf("0\r\n\r\n"u8) >= 0;
        }

        // 1xx/204/304 carry no body; anything else without a length ends with the connection
        return head.StartsWith("HTTP/1.1 1", StringComparison.Ordinal) || head.Contains(" 204 ", StringComparison.Ordinal);
    }

    private static byte[] Dechunk(byte[] body)
    {
        var result = new MemoryStream();
        int at = 0;
        while (at < body.Length)
        {
            int lineEnd = body.AsSpan(at).IndexOf("\r\n"u8);
            if (lineEnd < 0)
                break;
            var sizeText = Encoding.ASCII.GetString(body, at, lineEnd).Split(';')[0].Trim();
            if (!int.TryParse(sizeText, System.Globalization.NumberStyles.HexNumber, null, out int size) || size == 0)
                break;
            at += lineEnd + 2;
            result.Write(body, at, Math.Min(size, body.Length - at));
            at += size + 2;
        }

        return result.ToArray();
    }

    /// <summary>The request line and headers of an HTTP/1.1 request, ending with the blank line.</summary>
    public static byte[] Head(string method, string target, IEnumerable<(string Name, string Value)> headers)
    {
        var text = new StringBuilder($"{method} {target} HTTP/1.1\r\n");
        foreach (var (name, value) in headers)
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        text.Append("\r\n");
        return Encoding.Latin1.GetBytes(text.ToString());
    }
}
