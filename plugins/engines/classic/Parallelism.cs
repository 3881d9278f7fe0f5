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
}
