using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace EditorBridge.Engines.Diffusion.Text;

/// <summary>
/// The attention syntax of the A1111 web UI: <c>(text)</c> ×1.1, <c>[text]</c> ÷1.1, <c>(text:1.3)</c>
/// ×1.3, nesting multiplies, <c>\(</c> <c>\)</c> <c>\[</c> <c>\]</c> <c>\\</c> are literal characters.
/// A colon not followed by a number and <c>)</c> is ordinary text.
/// </summary>
public static partial class PromptWeights
{
    public const float Emphasis = 1.1f;

    /// <summary>The prompt as runs of text with their weights; adjacent runs of equal weight are merged.</summary>
    /// <exception cref="EngineInputException">Unbalanced brackets or a malformed weight (field "prompt"), naming the character position.</exception>
    public static IReadOnlyList<PromptFragment> Parse(string prompt, string field = "prompt")
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return new Parser(prompt, field).Run();
    }

    /// <summary>The prompt without its weighting syntax (escapes resolved).</summary>
    public static string PlainText(string prompt) => string.Concat(Parse(prompt).Select(f => f.Text));

    [GeneratedRegex(@"\G\s*([+-]?(?:\d+\.?\d*|\.\d+))\s*\)")]
    private static partial Regex WeightSuffix();

    [GeneratedRegex(@"\G\s*[+-]?[\d.]")]
    private static partial Regex NumberStart();

    private sealed class Parser(string prompt, string field)
    {
        private readonly List<(StringBuilder Text, float Weight)> runs = [];
        private readonly Stack<(char Bracket, int Position, int FirstRun)> open = new();
        private readonly StringBuilder text = new();

        public IReadOnlyList<PromptFragment> Run()
        {
            for (int i = 0; i < prompt.Length; i++)
                i = Read(i);
            if (open.TryPeek(out var unclosed))
                throw Error(unclosed.Position, $"'{unclosed.Bracket}' is never closed");
            Flush();
            return Merge();
        }

        /// <summary>Handles the character at <paramref name="i"/>; returns the index of the last character consumed.</summary>
        private int Read(int i)
        {
            char c = prompt[i];
            switch (c)
            {
                case '\\' when i + 1 < prompt.Length && prompt[i + 1] is '(' or ')' or '[' or ']' or '\\':
                    text.Append(prompt[i + 1]);
                    return i + 1;
                case '(' or '[':
                    Flush();
                    open.Push((c, i, runs.Count));
                    return i;
                case ')':
                    Close('(', i, Emphasis);
                    return i;
                case ']':
                    Close('[', i, 1f / Emphasis);
                    return i;
                case ':' when open.TryPeek(out var top) && top.Bracket == '(':
                    return ReadWeight(i);
                default:
                    text.Append(c);
                    return i;
            }
        }

        private int ReadWeight(int colon)
        {
            var match = WeightSuffix().Match(prompt, colon + 1);
            if (!match.Success)
            {
                if (NumberStart().IsMatch(prompt, colon + 1))
                    throw Error(colon, "expected a weight like ':1.3)' after the colon");
                text.Append(':');
                return colon;
            }
            float weight = float.Parse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (!float.IsFinite(weight) || weight < 0)
                throw Error(colon, $"weight {match.Groups[1].Value} must be a number of 0 or more");
            Close('(', match.Index + match.Length - 1, weight);
            return match.Index + match.Length - 1;
        }

        private void Close(char bracket, int position, float factor)
        {
            Flush();
            if (!open.TryPop(out var group))
                throw Error(position, $"'{prompt[position]}' has no matching '{bracket}'");
            if (group.Bracket != bracket)
                throw Error(position, $"'{prompt[position]}' closes the '{group.Bracket}' opened at character {group.Position + 1}");
            for (int r = group.FirstRun; r < runs.Count; r++)
                runs[r] = (runs[r].Text, runs[r].Weight * factor);
        }

        private void Flush()
        {
            if (text.Length == 0)
                return;
            runs.Add((new StringBuilder().Append(text), 1f));
            text.Clear();
        }

        private List<PromptFragment> Merge()
        {
            var merged = new List<PromptFragment>();
            foreach (var (runText, weight) in runs)
            {
                if (merged.Count > 0 && merged[^1].Weight == weight)
                    merged[^1] = merged[^1] with { Text = merged[^1].Text + runText };
                else
                    merged.Add(new PromptFragment(runText.ToString(), weight));
            }
            return merged;
        }

        private EngineInputException Error(int position, string problem) =>
            new(field, $"{field}: {problem} (character {position + 1}: \"{Excerpt(position)}\")");

        private string Excerpt(int position)
        {
            int start = Math.Max(0, position - 12);
            int end = Math.Min(prompt.Length, position + 13);
            return (start > 0 ? "…" : "") + prompt[start..end] + (end < prompt.Length ? "…" : "");
        }
    }
}
