namespace EditorBridge.Installer.Reporting;

/// <summary>
/// What the painter sees: a heading, what was found, the plan, progress per step, warnings and a
/// summary. Plain lines (no colours, no cursor tricks) unless the output is a terminal, where the
/// file counter of a long copy updates in place.
/// </summary>
public sealed class Reporter(TextWriter output, bool interactive = false)
{
    private readonly List<string> warnings = [];
    private int lastProgressLength;
    private bool stepOpen;

    public IReadOnlyList<string> Warnings => warnings;

    public void Line(string text = "")
    {
        EndStep("");
        output.WriteLine(text);
    }

    public void Heading(string text)
    {
        EndStep("");
        output.WriteLine();
        output.WriteLine(text);
    }

    /// <summary>A "label  value" row, aligned.</summary>
    public void Row(string label, string value)
    {
        EndStep("");
        output.WriteLine($"  {label,-20} {value}");
    }

    public void Warn(string text)
    {
        if (!warnings.Contains(text))
            warnings.Add(text);
        EndStep("");
        output.WriteLine($"  ! {text}");
    }

    public void Error(string text)
    {
        EndStep("failed");
        output.WriteLine($"editorbridge-setup: error: {text}");
    }

    /// <summary>Starts a step line ("[2/5] Krita plugin ...") that <see cref="EndStep"/> finishes.</summary>
    public void BeginStep(int index, int count, string title)
    {
        var text = $"  [{index}/{count}] {title} ";
        output.Write(text);
        lastProgressLength = 0;
        stepOpen = true;
        output.Flush();
    }

    /// <summary>A counter after the step's title; shown only on a terminal.</summary>
    public void Progress(int done, int total, long bytes)
    {
        if (!interactive)
            return;
        var text = $"{done}/{total} files, {Size(bytes)}";
        output.Write(new string('\b', lastProgressLength) + text + new string(' ', Math.Max(0, lastProgressLength - text.Length))
                     + new string('\b', Math.Max(0, lastProgressLength - text.Length)));
        lastProgressLength = text.Length;
        output.Flush();
    }

    public void EndStep(string result)
    {
        if (!stepOpen)
            return;
        stepOpen = false;
        if (interactive && lastProgressLength > 0)
            output.Write(new string('\b', lastProgressLength) + new string(' ', lastProgressLength) + new string('\b', lastProgressLength));
        output.WriteLine(result);
        lastProgressLength = 0;
    }

    public void WarningsAgain()
    {
        if (warnings.Count == 0)
            return;
        Heading("Please note:");
        foreach (var w in warnings)
            output.WriteLine($"  ! {w}");
    }

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KB",
        < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.#} MB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.##} GB",
    };
}
