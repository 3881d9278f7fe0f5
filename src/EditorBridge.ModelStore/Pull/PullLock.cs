namespace EditorBridge.ModelStore.Pull;

/// <summary>
/// One pull per model at a time, across processes: an exclusive lock on <c>.downloads/&lt;name&gt;.lock</c>
/// (.NET takes an OS lock for <see cref="FileShare.None"/>, flock on Unix). The OS drops it when the
/// holder dies, so a killed pull never blocks the next one. The file itself stays (deleting it would race).
/// </summary>
internal sealed class PullLock : IDisposable
{
    private readonly FileStream stream;

    private PullLock(FileStream stream) => this.stream = stream;

    public static PullLock Acquire(string downloadsDirectory, string model)
    {
        Directory.CreateDirectory(downloadsDirectory);
        var path = Path.Combine(downloadsDirectory, model + ".lock");
        try
        {
            return new PullLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e)
        {
            throw new PullException(PullFailure.AlreadyRunning, $"a pull of '{model}' is already running (lock {path} is held); wait for it or cancel it", e);
        }
    }

    public void Dispose() => stream.Dispose();
}
