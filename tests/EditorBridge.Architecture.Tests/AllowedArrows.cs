using System.Text.RegularExpressions;

namespace EditorBridge.Architecture.Tests;

/// <summary>
/// The table of allowed project references in docs/architecture.md (section
/// <see cref="Heading"/>): one row per project, its name in backticks in the first column, the
/// projects it may reference in the second, those whose build output it may copy in the third
/// (each in backticks; "—" for none).
/// </summary>
public sealed partial class AllowedArrows
{
    public const string Heading = "## Allowed project references";

    private AllowedArrows(IReadOnlyDictionary<string, (HashSet<string> References, HashSet<string> Builds)> rows) => Rows = rows;

    public IReadOnlyDictionary<string, (HashSet<string> References, HashSet<string> Builds)> Rows { get; }

    public static AllowedArrows Parse(string markdown)
    {
        var lines = markdown.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        int start = lines.FindIndex(l => l.Trim() == Heading);
        if (start < 0)
            throw new InvalidDataException($"no '{Heading}' section");
        var rows = new Dictionary<string, (HashSet<string>, HashSet<string>)>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(start + 1).SkipWhile(l => !l.TrimStart().StartsWith('|')).TakeWhile(l => l.TrimStart().StartsWith('|')))
        {
            var cells = line.Trim().Trim('|').Split('|');
            if (cells.Length < 3 || cells[0].Trim().StartsWith("---", StringComparison.Ordinal))
                continue;
            var names = Names(cells[0]);
            if (names.Count == 0)
                continue; // the header row
            if (!rows.TryAdd(names[0], ([.. Names(cells[1])], [.. Names(cells[2])])))
                throw new InvalidDataException($"project {names[0]} has two rows");
        }

        return rows.Count > 0 ? new AllowedArrows(rows) : throw new InvalidDataException($"the '{Heading}' section has no table rows");
    }

    /// <summary>What the table does not allow: references it does not list, and projects it has no row for.</summary>
    public IReadOnlyList<string> Violations(IEnumerable<string> projects, IEnumerable<ProjectArrow> arrows)
    {
        var problems = new List<string>();
        foreach (var project in projects.Where(p => !Rows.ContainsKey(p)))
            problems.Add($"{project}: no row in the table (add one, with what it may reference)");
        foreach (var arrow in arrows.Where(a => Rows.ContainsKey(a.From)))
        {
            var (references, builds) = Rows[arrow.From];
            bool allowed = references.Contains(arrow.To) || (arrow.BuildOnly && builds.Contains(arrow.To));
            if (!allowed)
                problems.Add($"{arrow}: not allowed by the table");
        }

        return problems;
    }

    /// <summary>Arrows the table lists that no project file has (the table must say what the code does).</summary>
    public IReadOnlyList<string> Stale(IEnumerable<string> projects, IEnumerable<ProjectArrow> arrows)
    {
        var existing = projects.ToHashSet(StringComparer.Ordinal);
        var present = arrows.ToList();
        var problems = new List<string>();
        foreach (var (from, (references, builds)) in Rows)
        {
            if (!existing.Contains(from))
            {
                problems.Add($"{from}: in the table, but there is no such project");
                continue;
            }

            problems.AddRange(references.Where(to => !present.Any(a => a.From == from && a.To == to && !a.BuildOnly)).Select(to => $"{from} -> {to}: in the table, but not referenced"));
            problems.AddRange(builds.Where(to => !present.Any(a => a.From == from && a.To == to && a.BuildOnly)).Select(to => $"{from} -> {to} (build only): in the table, but not built"));
        }

        return problems;
    }

    private static List<string> Names(string cell) => [.. Backticked().Matches(cell).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("`([A-Za-z0-9_.]+)`")]
    private static partial Regex Backticked();
}
