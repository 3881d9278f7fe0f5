namespace EditorBridge.ModelStore;

/// <summary>
/// The store-wide lock: an exclusively opened <c>.lock</c> file, so two processes (or threads)
/// never move model folders at the same time. Held only for the moves, never while hashing.
/// </summary>
internal sealed class StoreLock : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly FileStream stream;

    private StoreLock(FileStream stream) => this.stream = stream;

    public static StoreLock Take(string root, string modelName)
    {
        Directory.CreateDirectory(root);
        var path = Path.Combine(root, ".lock");
        var deadline = DateTime.UtcNow + Wait;
        var pause = 5;
        while (true)
        {
            try
            {
                return new StoreLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException e) when (IsHeldElsewhere(e) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(pause);
                pause = Math.Min(pause * 2, 200);
            }
            catch (IOException e) when (IsHeldElsewhere(e))
            {
                throw new ModelStoreException(modelName, ModelStoreError.Busy,
                    $"Model '{modelName}': the model store '{root}' stayed locked by another process for {Wait.TotalSeconds:0} s.", e);
            }
        }
    }

    public void Dispose() => stream.Dispose();

    // Anything else (a missing or read-only folder, a full disk) is no reason to wait.
    private static bool IsHeldElsewhere(IOException e) =>
        e is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException);
}
