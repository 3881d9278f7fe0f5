namespace EditorBridge.Engines.Classic;

// PLACEHOLDER until the exemplar synthesis lands (helper is writing it): replaced, never shipped.
public static class ExemplarFill
{
    public static byte[] Fill(int width, int height, byte[] rgba, byte[] hole, ExemplarFillOptions options, Action<int, int>? progress, CancellationToken cancellationToken) =>
        throw new NotSupportedException("exemplar fill not built yet");
}
