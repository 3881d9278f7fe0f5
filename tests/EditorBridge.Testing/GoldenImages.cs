namespace EditorBridge.Testing;

/// <summary>
/// Golden images: small PNGs in <c>tests/data/golden</c>, the reviewed output of an operation.
/// <c>EDITORBRIDGE_UPDATE_GOLDENS=1</c> makes <see cref="ImageAssert.MatchesGolden"/> write them
/// (tests/update-goldens.sh); a failed comparison writes the actual picture to a temporary folder.
/// </summary>
public static class GoldenImages
{
    public const string UpdateVariable = "EDITORBRIDGE_UPDATE_GOLDENS";

    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    public static string Directory { get; } = Path.Combine(Path.GetDirectoryName(TestPictures.Directory)!, "golden");

    public static string PathOf(string name) => Path.Combine(Directory, name + ".png");

    public static RgbaPicture? Read(string name) => File.Exists(PathOf(name)) ? TestPictures.LoadFile(PathOf(name)) : null;

    public static void Write(string name, RgbaPicture picture)
    {
        System.IO.Directory.CreateDirectory(Directory);
        TestPictures.Save(PathOf(name), picture.Width, picture.Height, picture.Rgba);
    }

    /// <summary>Writes a result that failed its golden beside the others of this run; returns the path.</summary>
    public static string WriteActual(string name, RgbaPicture picture)
    {
        var folder = System.IO.Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "editorbridge-goldens")).FullName;
        var path = Path.Combine(folder, name + ".actual.png");
        TestPictures.Save(path, picture.Width, picture.Height, picture.Rgba);
        return path;
    }
}
