namespace EditorBridge.Cli.Images;

/// <summary>A picture file that is cut short or corrupt: refused before anything is sent (exit 2, "damaged picture: …").</summary>
public sealed class DamagedPictureException(string path, string why) : Exception($"{path}: {why}")
{
    public string Path { get; } = path;
}
