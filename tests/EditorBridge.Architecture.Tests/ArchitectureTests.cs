using System.Reflection;
using EditorBridge.Testing;

namespace EditorBridge.Architecture.Tests;

/// <summary>The product's projects reference only what docs/architecture.md's table allows, and the table says what the code does.</summary>
public sealed class ArchitectureTests
{
    private static readonly string[] ProductFolders = ["src", "plugins", "installer"];

    private static string RepoRoot => typeof(ArchitectureTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;

    private static AllowedArrows Table => AllowedArrows.Parse(File.ReadAllText(Path.Combine(RepoRoot, "docs", "architecture.md")));

    [Fact]
    public void Every_product_project_reference_is_an_arrow_of_the_table()
    {
        var projects = ProjectReferences.Projects(RepoRoot, ProductFolders);
        var arrows = ProjectReferences.Read(RepoRoot, projects);

        Assert.True(projects.Count >= 10, $"found only {projects.Count} projects under {string.Join(", ", ProductFolders)}");
        Assert.Contains(arrows, a => a.From == "EditorBridge.Cli" && a.To == "EditorBridge.Engines.Classic" && a.BuildOnly);
        var violations = Table.Violations(projects.Select(ProjectReferences.Name), arrows);
        Assert.True(violations.Count == 0, "docs/architecture.md does not allow:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Every_arrow_of_the_table_is_in_the_code()
    {
        var projects = ProjectReferences.Projects(RepoRoot, ProductFolders);
        var stale = Table.Stale(projects.Select(ProjectReferences.Name), ProjectReferences.Read(RepoRoot, projects));
        Assert.True(stale.Count == 0, "docs/architecture.md lists what the code does not have:\n" + string.Join("\n", stale));
    }

    [Fact]
    public void The_cli_references_the_client_and_the_daemon_only()
    {
        var cli = Path.Combine(RepoRoot, "src", "EditorBridge.Cli", "EditorBridge.Cli.csproj");
        var references = ProjectReferences.Read(RepoRoot, [cli]).Where(a => !a.BuildOnly).Select(a => a.To).Order().ToList();
        Assert.Equal(["EditorBridge.Client", "EditorBridge.Daemon"], references);
    }

    // Guard: a forbidden reference (the CLI on the test harness, as it once was), one hidden in an
    // imported .targets file, and a project the table does not know all fail.
    [Fact]
    public void A_reference_the_table_does_not_allow_fails()
    {
        using var repo = new TempDirectory("arch");
        Write(repo.File("src/EditorBridge.Cli/EditorBridge.Cli.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <ProjectReference Include="../EditorBridge.Client/EditorBridge.Client.csproj" />
                <ProjectReference Include="$(RepoRoot)tests/EditorBridge.Stress/EditorBridge.Stress.csproj" />
              </ItemGroup>
              <Import Project="$(RepoRoot)plugins/Extra.targets" />
            </Project>
            """);
        Write(repo.File("plugins/Extra.targets"), """
            <Project>
              <ItemGroup>
                <Engine Include="$(MSBuildThisFileDirectory)engines/classic/EditorBridge.Engines.Classic.csproj" />
                <ProjectReference Include="@(Engine)" />
              </ItemGroup>
            </Project>
            """);
        Write(repo.File("src/EditorBridge.Client/EditorBridge.Client.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        Write(repo.File("src/EditorBridge.Newcomer/EditorBridge.Newcomer.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        var table = AllowedArrows.Parse($"""
            # Architecture

            {AllowedArrows.Heading}

            | project | may reference | may build |
            | --- | --- | --- |
            | `EditorBridge.Client` | — | — |
            | `EditorBridge.Cli` | `EditorBridge.Client` | `EditorBridge.Engines.Classic` |
            """);
        var projects = ProjectReferences.Projects(repo.Path, ["src", "plugins"]);

        var violations = table.Violations(projects.Select(ProjectReferences.Name), ProjectReferences.Read(repo.Path, projects));

        Assert.Equal(
        [
            "EditorBridge.Newcomer: no row in the table (add one, with what it may reference)",
            "EditorBridge.Cli -> EditorBridge.Stress: not allowed by the table",
            // allowed as a bundled build, but this import references its assembly
            "EditorBridge.Cli -> EditorBridge.Engines.Classic: not allowed by the table",
        ], violations);
    }

    [Fact]
    public void An_arrow_the_code_no_longer_has_is_stale()
    {
        var table = AllowedArrows.Parse($"""
            {AllowedArrows.Heading}

            | project | may reference | may build |
            | --- | --- | --- |
            | `A` | `B`, `C` | — |
            | `Gone` | — | — |
            """);

        var stale = table.Stale(["A", "B", "C"], [new ProjectArrow("A", "B", false)]);

        Assert.Equal(["A -> C: in the table, but not referenced", "Gone: in the table, but there is no such project"], stale);
    }

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
