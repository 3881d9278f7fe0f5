using System.Globalization;
using System.Text;

namespace EditorBridge.Engines.Diffusion.Text;

/// <summary>
/// Turns labels/tags ("1girl, red_hair, smile:1.2") into a weighted prompt ("1girl, red hair, (smile:1.2)").
/// Tags are separated by commas or new lines; underscores become spaces; brackets in a tag are
/// escaped (so "fate_(series)" stays text); a trailing ":number" is the tag's weight; repeats are dropped.
/// </summary>
public static class TagPrompt
{
    /// <exception cref="EngineInputException">A negative or non-finite weight (field "tags").</exception>
    public static string Build(string tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return Build(tags.Split([',', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(ParseTag));
    }

    /// <summary>Tags with their weights, in order.</summary>
    public static string Build(IEnumerable<PromptFragment> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var parts = new List<string>();
        foreach (var tag in tags)
        {
            string label = Clean(tag.Text);
            if (label.Length == 0 || !seen.Add(label))
                continue;
            if (!float.IsFinite(tag.Weight) || tag.Weight < 0)
                throw new EngineInputException("tags", $"tags: weight of '{tag.Text}' must be a number of 0 or more, got {tag.Weight}");
            parts.Add(tag.Weight == 1f ? Escape(label) : $"({Escape(label)}:{tag.Weight.ToString("0.##", CultureInfo.InvariantCulture)})");
        }
        return string.Join(", ", parts);
    }

    private static PromptFragment ParseTag(string tag)
    {
        int colon = tag.LastIndexOf(':');
        if (colon > 0 && float.TryParse(tag[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out float weight))
            return new PromptFragment(tag[..colon], weight);
        return new PromptFragment(tag, 1f);
    }

    /// <summary>Booru-style underscores to spaces, runs of white space to one.</summary>
    private static string Clean(string label)
    {
        string spaced = label.Any(char.IsLetterOrDigit) ? label.Replace('_', ' ') : label;
        return string.Join(' ', spaced.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static string Escape(string label)
    {
        var escaped = new StringBuilder(label.Length + 4);
        foreach (char c in label)
        {
            if (c is '(' or ')' or '[' or ']' or '\\')
                escaped.Append('\\');
            escaped.Append(c);
        }
        return escaped.ToString();
    }
}
