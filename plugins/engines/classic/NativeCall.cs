namespace EditorBridge.Engines.Classic;

/// <summary>
/// Runs OpenCV work off the caller's thread. A single native call cannot be interrupted: on
/// cancellation the job ends at once and the call finishes alone in the background.
/// </summary>
internal static class NativeCall
{
    public static Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken) =>
        Task.Run(work, cancellationToken).WaitAsync(cancellationToken);
}
