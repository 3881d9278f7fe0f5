using System.Xml.Linq;

namespace EditorBridge.Architecture.Tests;

/// <summary>
/// Reads the project references of every .csproj under some folders of a repository: the
/// <c>ProjectReference</c> items of the project and of the repository's .props/.targets files it
/// imports (a reference hidden in an imported file counts), with <c>$(RepoRoot)</c>,
/// <c>$(MSBuildThisFileDirectory)</c>, relative paths and <c>@(Item)</c> lists resolved.
/// </summary>
public static class ProjectReferences
{
    public static IReadOnlyList<string> Projects(string repoRoot, IEnumerable<string> folders) =>
        [.. folders.Select(f => Path.Combine(repoRoot, f)).Where(Directory.Exists)
            .SelectMany(f => Directory.EnumerateFiles(f, "*.csproj", SearchOption.AllDirectories))
            .Where(p => !p.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal)];

    public static IReadOnlyList<ProjectArrow> Read(string repoRoot, IEnumerable<string> projectFiles)
    {
        var arrows = new List<ProjectArrow>();
        foreach (var project in projectFiles)
        {
            var from = Name(project);
            foreach (var (to, buildOnly) in References(project, repoRoot, []).Distinct())
                arrows.Add(new ProjectArrow(from, to, buildOnly));
        }

        return arrows;
    }

    public static string Name(string projectFile) => Path.GetFileNameWithoutExtension(projectFile);

    private static IEnumerable<(string To, bool BuildOnly)> References(string file, string repoRoot, HashSet<string> seen)
    {
        if (!seen.Add(Path.GetFullPath(file)))
            yield break;
        var document = XDocument.Load(file);
        var elements = document.Descendants().ToList();
        foreach (var reference in elements.Where(e => e.Name.LocalName == "ProjectReference"))
        {
            bool buildOnly = string.Equals((string?)reference.Attribute("ReferenceOutputAssembly") ?? Child(reference, "ReferenceOutputAssembly"), "false", StringComparison.OrdinalIgnoreCase);
            foreach (var include in Includes(reference, elements))
                yield return (Name(Resolve(include, file, repoRoot)), buildOnly);
        }

        foreach (var import in elements.Where(e => e.Name.LocalName == "Import"))
        {
            var path = Resolve((string?)import.Attribute("Project") ?? "", file, repoRoot);
            if (path.StartsWith(Path.GetFullPath(repoRoot), StringComparison.Ordinal) && File.Exists(path))
            {
                foreach (var found in References(path, repoRoot, seen))
                    yield return found;
            }
        }
    }

    // Include="a.csproj;b.csproj", or Include="@(BundledEngine)": the Include values of that item type in the same file.
    private static IEnumerable<string> Includes(XElement reference, IReadOnlyList<XElement> elements)
    {
        foreach (var part in ((string?)reference.Attribute("Include") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("@(", StringComparison.Ordinal) && part.EndsWith(')'))
            {
                var itemType = part[2..^1];
                foreach (var item in elements.Where(e => e.Name.LocalName == itemType && e.Attribute("Include") is not null))
                    yield return (string)item.Attribute("Include")!;
            }
            else
            {
                yield return part;
            }
        }
    }

    private static string? Child(XElement element, string name) =>
        element.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    private static string Resolve(string path, string file, string repoRoot)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(file))!;
        var expanded = path
            .Replace("$(RepoRoot)", repoRoot.TrimEnd('/', '\\') + "/", StringComparison.Ordinal)
            .Replace("$(MSBuildThisFileDirectory)", directory + "/", StringComparison.Ordinal)
            .Replace('\\', '/');
        if (expanded.Contains("$(", StringComparison.Ordinal))
            throw new InvalidDataException($"{file}: cannot resolve the path '{path}' (only $(RepoRoot) and $(MSBuildThisFileDirectory) are understood)");
        return Path.GetFullPath(Path.IsPathRooted(expanded) ? expanded : Path.Combine(directory, expanded));
    }
}
