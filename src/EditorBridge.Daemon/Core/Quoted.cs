namespace EditorBridge.Daemon.Core;

/// <summary>
/// Client text quoted back in a refusal: cut to a few dozen characters (never inside a surrogate
/// pair), because a refusal travels in a gRPC trailer (and again in its field-violation detail),
/// and a client cannot read trailers over its header limit (64 KiB in .NET): echoing a 10,000-
/// character parameter name made the status unreadable, and the client saw Unavailable instead.
/// </summary>
public static class Quoted
{
    public static string Short(string text, int max = 40)
    {
        if (text.Length <= max)
            return text;
        int cut = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        return text[..cut] + "…";
    }
}
