namespace EditorBridge.Installer.Tests;

internal static class SnapshotAssert
{
    /// <summary>Equal maps, or a failure naming every path that differs.</summary>
    public static void Same(IDictionary<string, string> expected, IDictionary<string, string> actual, string because = "")
    {
        var lines = new List<string>();
        foreach (var key in expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal))
        {
            expected.TryGetValue(key, out var e);
            actual.TryGetValue(key, out var a);
            if (e != a)
                lines.Add($"  {key}: {e ?? "(absent)"} => {a ?? "(absent)"}");
        }

        Assert.True(lines.Count == 0, $"{because}\n{lines.Count} difference(s):\n{string.Join("\n", lines.Take(40))}");
    }
}
