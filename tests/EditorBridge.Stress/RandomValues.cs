using System.Text;

namespace EditorBridge.Stress;

/// <summary>Random and boundary values for hostile cases, all from one seeded <see cref="Random"/>.</summary>
public static class RandomValues
{
    public static T Pick<T>(this Random r, params T[] choices) => choices[r.Next(choices.Length)];

    public static bool Chance(this Random r, double p) => r.NextDouble() < p;

    /// <summary>A boundary or random int around a valid value and a limit.</summary>
    public static int BoundaryInt(this Random r, int valid, int limit) => r.Next(12) switch
    {
        0 => int.MinValue,
        1 => int.MaxValue,
        2 => -1,
        3 => 0,
        4 => 1,
        5 => limit,
        6 => limit + 1,
        7 => valid - 1,
        8 => valid + 1,
        9 => r.Next(-100, 100),
        10 => r.Next(),
        _ => -r.Next(),
    };

    public static double BoundaryDouble(this Random r, double min, double max) => r.Next(14) switch
    {
        0 => double.NaN,
        1 => double.PositiveInfinity,
        2 => double.NegativeInfinity,
        3 => double.MaxValue,
        4 => double.Epsilon,
        5 => -0.0,
        6 => min,
        7 => max,
        8 => min - 1e-9,
        9 => max + 1e-9,
        10 => Math.Round(min + r.NextDouble() * (max - min)),
        11 => min + r.NextDouble() * (max - min),
        12 => -1e300,
        _ => (r.NextDouble() - 0.5) * 1e6,
    };

    /// <summary>Text of a random kind: ASCII, other scripts, emoji (two UTF-16 units each), control characters, or long.</summary>
    public static string Text(this Random r, int? length = null)
    {
        int n = length ?? r.Pick(0, 1, 5, 40, 200);
        var alphabet = r.Next(6) switch
        {
            0 => "abcdefghijklmnopqrstuvwxyz_-.0123456789",
            1 => "æøåßéñ中文字画家筆ملون한국어",
            2 => "\u0000\u0001\u001b\u007f\t\r\n\"\\'<>&%{}",
            3 => "🎨🖌️👩‍🎨🌈",
            4 => "\u200b\u200e\u202e\ufeff\u0301",
            _ => "ABC xyz 123 !?",
        };
        var text = new StringBuilder(n);
        var elements = System.Globalization.StringInfo.GetTextElementEnumerator(alphabet);
        var parts = new List<string>();
        while (elements.MoveNext())
            parts.Add((string)elements.Current);
        while (text.Length < n)
            text.Append(parts[r.Next(parts.Count)]);
        return text.ToString();
    }

    /// <summary>A string of exactly <paramref name="length"/> UTF-16 units, sometimes with surrogate pairs.</summary>
    public static string TextOfLength(this Random r, int length)
    {
        var text = new StringBuilder(length);
        bool pairs = r.Chance(0.3);
        while (text.Length < length)
        {
            if (pairs && text.Length + 2 <= length)
                text.Append("🎨");
            else
                text.Append((char)r.Next('a', 'z' + 1));
        }

        return text.ToString();
    }

    /// <summary>Byte sequences that are not UTF-8: lone continuation bytes, overlong forms, an encoded surrogate, truncated sequences.</summary>
    public static byte[] InvalidUtf8(this Random r) => r.Next(6) switch
    {
        0 => [0x80],
        1 => [0xC0, 0xAF],
        2 => [0xED, 0xA0, 0x80],
        3 => [0xF4, 0x90, 0x80, 0x80],
        4 => [0xE2, 0x82],
        _ => [0xFF, 0xFE],
    };

    public static byte[] Bytes(this Random r, int length)
    {
        var bytes = new byte[length];
        r.NextBytes(bytes);
        return bytes;
    }
}
