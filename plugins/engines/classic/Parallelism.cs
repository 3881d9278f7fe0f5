namespace EditorBridge.Engines.Classic;

/// <summary>Runs a fixed number of independent parts on the machine's cores; a cancellation surfaces as itself.</summary>
internal static class Parallelism
{
    public static void For(int parts, Action<int> body, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            Parallel.For(0, parts, new ParallelOptions { CancellationToken = cancellationToken }, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.All(inner => inner is OperationCanceledException))
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    /// <summary>Runs two independent pieces of work at once (each on its own core where there are two).</summary>
    public static void Both(Action first, Action second, CancellationToken cancellationToken) =>
        For(2, part => (part == 0 ? first : second)(), cancellationToken);
}
