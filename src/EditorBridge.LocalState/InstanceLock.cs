namespace EditorBridge.LocalState;

/// <summary>
/// Held by the serving daemon for its whole life, so two daemons started at once end with
/// exactly one serving. The operating system frees it when the process dies.
/// </summary>
public sealed class InstanceLock : IDisposable
{
    private readonly FileStream stream;

    private InstanceLock(FileStream stream) => this.stream = stream;

    public static InstanceLock? TryAcquire(string path)
    {
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            stream.Write(pid);
            stream.Flush();
            return new InstanceLock(stream);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose() => stream.Dispose();
}
